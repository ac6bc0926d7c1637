-- Read-model versions (DESIGN.md "Read models"): every projection lives in
-- versioned tables `<base>_v<n>`; readers resolve the live version here, and a
-- rebuild fills `<base>_v<n+1>` from the log before it swaps `live_version`.
-- The tables themselves are created by the projection runner from each
-- projection's DDL (projections/<name>/project.ts), per version.
CREATE TABLE projection_versions (
  name              text PRIMARY KEY,
  live_version      integer NOT NULL CHECK (live_version >= 1),
  -- the version a rebuild is filling, or null
  building_version  integer,
  swapped_at        timestamptz
);
