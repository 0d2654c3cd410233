/**
 * The permission table: role → resource → action → reach. It is the only statement of who may do
 * what; routes name a (resource, action) with `can()`, API-key scopes are `resource:action` pairs
 * from the same table, and `docs/permissions.md` is generated from it.
 *
 * Reach: `all` — any record; `own` — only records the user owns, created or is assigned (the
 * service decides what "own" means for its resource).
 */

export const ROLES = ['admin', 'manager', 'user', 'readonly'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = ['create', 'read', 'update', 'delete', 'assign', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];

export type Reach = 'all' | 'own';

/** Every resource, with what its actions mean where that is not obvious. */
export const RESOURCES = {
  users: 'Staff accounts. manage: change roles and deactivate.',
  api_keys: 'Applications’ API keys.',
  embed_tokens: 'Short-lived widget tokens. own: for oneself; all: acting for any user.',
  audit_log: 'The append-only change history.',
  organisations: 'Organisations.',
  people: 'People and their links to organisations.',
  personal_data:
    'A person’s personal data under the GDPR. read: the access export (own: people one owns or created); delete: erasure.',
  mandates: 'Mandates.',
  interactions: 'Interactions and their participants. assign: set or change the assignee.',
  notifications: 'A user’s notifications.',
  email_events: 'Email events received from providers.',
  marketing: 'Email-provider webhook ingestion. create: post events.',
  lead_scores: 'Lead scores and their ledgers. manage: trigger a recompute.',
  scoring_rules: 'Lead-scoring rules.',
  dashboard: 'The dashboard summary.',
  imports:
    'CSV imports through the API. create: send a file (it creates and updates people or organisations); read: an import’s progress and error report (own: one’s own imports).',
  jobs: 'Background jobs. manage: inspect failures and retry.',
  cache: 'The read cache. read: its hit and miss counters.',
} as const;
export type Resource = keyof typeof RESOURCES;

type Grants = Partial<Record<Resource, Partial<Record<Action, Reach>>>>;

const CRM_READ = { read: 'all' } as const;
const CRM_OWN = { create: 'all', read: 'all', update: 'own', delete: 'own' } as const;
const CRM_ALL = { create: 'all', read: 'all', update: 'all', delete: 'all' } as const;

const READONLY: Grants = {
  embed_tokens: { create: 'own' },
  organisations: CRM_READ,
  people: CRM_READ,
  mandates: CRM_READ,
  interactions: CRM_READ,
  notifications: { read: 'own', update: 'own' },
  email_events: { read: 'all' },
  lead_scores: { read: 'all' },
  scoring_rules: { read: 'all' },
  dashboard: { read: 'all' },
};

const USER: Grants = {
  ...READONLY,
  organisations: CRM_OWN,
  people: CRM_OWN,
  personal_data: { read: 'own' },
  mandates: CRM_OWN,
  interactions: { ...CRM_OWN, assign: 'own' },
};

const MANAGER: Grants = {
  ...USER,
  users: { read: 'all' },
  embed_tokens: { create: 'own' },
  organisations: CRM_ALL,
  people: CRM_ALL,
  mandates: CRM_ALL,
  interactions: { ...CRM_ALL, assign: 'all' },
  imports: { create: 'all', read: 'own' },
};

const ADMIN: Grants = {
  ...MANAGER,
  users: { create: 'all', read: 'all', update: 'all', manage: 'all' },
  api_keys: { create: 'all', read: 'all', delete: 'all' },
  embed_tokens: { create: 'all' },
  personal_data: { read: 'all', delete: 'all' },
  audit_log: { read: 'all' },
  marketing: { create: 'all' },
  lead_scores: { read: 'all', manage: 'all' },
  scoring_rules: { read: 'all', update: 'all' },
  imports: { create: 'all', read: 'all' },
  jobs: { read: 'all', manage: 'all' },
  cache: { read: 'all' },
};

export const ROLE_PERMISSIONS: Readonly<Record<Role, Grants>> = Object.freeze({
  admin: ADMIN,
  manager: MANAGER,
  user: USER,
  readonly: READONLY,
});

/** The reach a role has for an action on a resource, or null when it has none. */
export function roleReach(role: Role, resource: Resource, action: Action): Reach | null {
  return ROLE_PERMISSIONS[role]?.[resource]?.[action] ?? null;
}

/** The `resource:action` pairs a role holds at any reach, computed once per role. */
function pairsOf(grants: Grants): ReadonlySet<string> {
  return new Set(
    Object.entries(grants).flatMap(([resource, actions]) =>
      ACTIONS.filter((action) => actions?.[action]).map((action) => `${resource}:${action}`),
    ),
  );
}
const ROLE_SCOPES: Readonly<Record<Role, ReadonlySet<string>>> = Object.freeze({
  admin: pairsOf(ADMIN),
  manager: pairsOf(MANAGER),
  user: pairsOf(USER),
  readonly: pairsOf(READONLY),
});

/** The `resource:action` pairs a role holds. */
export function scopesOfRole(role: Role): ReadonlySet<string> {
  return ROLE_SCOPES[role];
}

/** Every `resource:action` an API key may be given: the pairs some role holds. */
export const SCOPES: readonly string[] = [...new Set(ROLES.flatMap((role) => [...ROLE_SCOPES[role]]))].sort();

/** Renders the table as Markdown (docs/permissions.md). */
export function permissionsMarkdown(): string {
  const header = `| resource | action | ${ROLES.join(' | ')} | API key scope |`;
  const rule = `|---|---|${ROLES.map(() => '---').join('|')}|---|`;
  const rows: string[] = [];
  for (const resource of Object.keys(RESOURCES) as Resource[]) {
    for (const action of ACTIONS) {
      const cells = ROLES.map((role) => roleReach(role, resource, action) ?? '—');
      if (cells.every((cell) => cell === '—')) continue;
      rows.push(`| ${resource} | ${action} | ${cells.join(' | ')} | \`${resource}:${action}\` |`);
    }
  }
  const glossary = (Object.entries(RESOURCES) as [Resource, string][])
    .map(([resource, meaning]) => `- \`${resource}\` — ${meaning}`)
    .join('\n');
  return [
    '# Permissions',
    '',
    '<!-- DO NOT EDIT: generated from server/src/platform/core/permissions.ts by `npm run generate`. -->',
    '',
    'Who may do what. `all`: on any record; `own`: only on records the user owns, created or is',
    'assigned; `—`: never. An API key holds scopes (`resource:action`), each with reach `all`. An',
    'embed token acts for one user, on its subject only, through the widget operations only.',
    '',
    header,
    rule,
    ...rows,
    '',
    '## Resources',
    '',
    glossary,
    '',
  ].join('\n');
}
