/** The parts of the system one process can run (DESIGN.md "Architecture"). */
export const ROLES = ['api', 'projector', 'saga', 'scheduler', 'webhooks', 'notifier'] as const;
export type ProcessRole = (typeof ROLES)[number];

/** Parses `all` or a comma-separated list such as `api,projector`. */
export const parseRoles = (value: string): ReadonlySet<ProcessRole> => {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0 || names.includes('all')) return new Set(ROLES);
  const roles = new Set<ProcessRole>();
  for (const name of names) {
    const role = ROLES.find((known) => known === name);
    if (!role) {
      throw new Error(`Unknown role "${name}": expected all or any of ${ROLES.join(', ')}.`);
    }
    roles.add(role);
  }
  return roles;
};
