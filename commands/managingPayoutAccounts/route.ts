import { z } from 'zod';
import { assertCanAccess, type Principal } from '../../domain/access/principal.ts';
import { idSchema } from '../shared/httpSchemas.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import {
  getPayoutAccount,
  registerPayoutAccount,
  setDepositPaymentMethod,
  type PayoutAccountDeps,
} from './handler.ts';
import type { PayoutAccount } from './ports.ts';

const params = z.strictObject({ vendorId: idSchema });
const urlSchema = z.url({ protocol: /^https?$/ }).max(2000);
const registerBody = z
  .strictObject({ refreshUrl: urlSchema.optional(), returnUrl: urlSchema.optional() })
  .refine((b) => (b.refreshUrl === undefined) === (b.returnUrl === undefined), {
    message: 'Send both refreshUrl and returnUrl, or neither.',
  });
const depositBody = z.strictObject({
  /** A provider payment method (Stripe `pm_…`), saved for reuse. */
  paymentMethod: z.string().regex(/^pm_[A-Za-z0-9_]{1,200}$/, 'Expected a payment method id pm_….'),
  /** The Stripe customer the method is attached to (needed to reuse it at Stripe). */
  customer: z
    .string()
    .regex(/^cus_[A-Za-z0-9_]{1,200}$/, 'Expected a customer id cus_….')
    .optional(),
});

const accountSchema = z.object({
  vendorId: z.string(),
  provider: z.enum(['stripe', 'simulated']),
  accountId: z.string().nullable(),
  status: z.enum(['none', 'onboarding', 'active']),
  payoutsEnabled: z.boolean(),
  depositPaymentMethodSet: z.boolean(),
  updatedAt: z.string(),
  releasedPayouts: z.array(z.string()).optional(),
  onboarding: z.object({ url: z.string(), expiresAt: z.string() }).optional(),
});

/** The payment method token itself is never shown back. */
const toBody = (account: PayoutAccount) => ({
  vendorId: account.vendorId,
  provider: account.provider,
  accountId: account.accountId,
  status: account.status,
  payoutsEnabled: account.status === 'active',
  depositPaymentMethodSet: account.depositPaymentMethod !== null,
  updatedAt: account.updatedAt,
});

const ownVendor = (principal: Principal, vendorId: string, access: 'read' | 'write'): void =>
  assertCanAccess(principal, { vendorId }, access, "this vendor's payout account");

const ERRORS = {
  400: { description: 'Invalid input' },
  401: { description: 'No or bad credentials' },
  403: { description: 'A vendor may only manage its own payout account' },
} as const;

/** The vendor payout-account registry routes (vendor: own id only; admin: any). */
export const getPayoutAccountRoutes = (deps: PayoutAccountDeps): RouteModule[] => [
  defineRoute({
    method: 'post',
    path: '/api/v1/vendors/{vendorId}/payout-account',
    summary: "Create the vendor's payout account, or continue its onboarding",
    description:
      'Stripe mode: creates a Stripe Connect Express account once and answers a single-use onboarding link (send refreshUrl and returnUrl) until Stripe enables payouts. Simulated mode: the account is active at once. When the account becomes active, payouts that waited for it are requested again.',
    tags: ['payments', 'vendors'],
    auth: ['vendor', 'admin'],
    params,
    body: registerBody.optional(),
    // The answer carries a short-lived onboarding URL: never stored for replay.
    idempotent: false,
    responses: {
      201: { description: 'Account created', body: accountSchema },
      200: { description: 'Account exists', body: accountSchema },
      ...ERRORS,
    },
    handler: async ({ params: p, body, principal }) => {
      ownVendor(principal, p.vendorId, 'write');
      const urls =
        body?.refreshUrl !== undefined && body.returnUrl !== undefined
          ? { refreshUrl: body.refreshUrl, returnUrl: body.returnUrl }
          : undefined;
      const view = await registerPayoutAccount(deps, p.vendorId, urls, principal.id);
      return {
        status: view.created ? 201 : 200,
        body: {
          ...toBody(view.account),
          releasedPayouts: view.releasedPayouts,
          ...(view.onboarding ? { onboarding: view.onboarding } : {}),
        },
        headers: { 'Cache-Control': 'no-store' },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/vendors/{vendorId}/payout-account',
    summary: "The vendor's payout account and whether it can be paid",
    tags: ['payments', 'vendors'],
    auth: ['vendor', 'admin'],
    params,
    responses: {
      200: { description: 'The account', body: accountSchema },
      404: { description: 'No payout account (PAYOUT_ACCOUNT_NOT_FOUND)' },
      ...ERRORS,
    },
    handler: async ({ params: p, principal }) => {
      ownVendor(principal, p.vendorId, 'read');
      const view = await getPayoutAccount(deps, p.vendorId, principal.id);
      return {
        status: 200,
        body: { ...toBody(view.account), releasedPayouts: view.releasedPayouts },
        headers: { 'Cache-Control': 'no-store' },
      };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/vendors/{vendorId}/deposit-payment-method',
    summary: "Set the vendor's own payment method for deposit authorizations",
    tags: ['payments', 'vendors'],
    auth: ['vendor', 'admin'],
    params,
    body: depositBody,
    idempotent: true,
    responses: { 200: { description: 'Saved', body: accountSchema }, ...ERRORS },
    handler: async ({ params: p, body, principal }) => {
      ownVendor(principal, p.vendorId, 'write');
      const account = await setDepositPaymentMethod(deps, p.vendorId, {
        paymentMethod: body.paymentMethod,
        customer: body.customer ?? null,
      });
      return { status: 200, body: toBody(account) };
    },
  }),
];
