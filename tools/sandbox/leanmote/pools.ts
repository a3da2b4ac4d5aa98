/** Vocabularies of the generated Leanmote account: an engineering organisation and its tools. */

export const ORGANIZATIONS = [
  'Acme Engineering',
  'Nordlicht GmbH',
  'Café Digital',
  'Łódź Software House',
  'Øresund Labs',
  'São Paulo Tech',
  'Kyōto Systems',
  'Müller & Söhne IT',
  "O'Reilly Platforms",
  'Zürich Data',
  'Bergen Cloud',
  'Lumière Studio',
] as const;

export const TEAMS = [
  'Platform',
  'Payments',
  'Mobile',
  'Data',
  'SRE',
  'Growth',
  'Checkout',
  'Identity',
  'Search',
  'Infrastructure',
  'Design Systems',
  'Developer Experience',
  'Security',
  'Billing',
  'Onboarding',
  'Analytics',
  'Core API',
  'Frontend',
  'Machine Learning',
  'Integrations',
  'QA',
  'Support Tools',
  'Réseau',
  'Ökosystem',
] as const;

export const TITLES = [
  'Software Engineer',
  'Senior Software Engineer',
  'Staff Engineer',
  'Engineering Manager',
  'QA Engineer',
  'Product Manager',
  'Product Designer',
  'Data Engineer',
  'Site Reliability Engineer',
  'Tech Lead',
  'Frontend Engineer',
  'Backend Engineer',
  'Mobile Engineer',
  'Principal Engineer',
  'Director of Engineering',
] as const;

export const REPO_PREFIXES = [
  'platform',
  'payments',
  'mobile',
  'data',
  'infra',
  'checkout',
  'identity',
  'search',
  'billing',
  'web',
  'admin',
  'notifications',
  'analytics',
  'gateway',
  'ledger',
  'catalog',
  'onboarding',
  'reporting',
  'ml',
  'design-system',
] as const;

export const REPO_SUFFIXES = ['api', 'service', 'app', 'worker', 'sdk', 'infra', 'ui', 'jobs', 'cli', 'proxy', 'etl', 'docs'] as const;

export const LANGUAGES = ['TypeScript', 'Go', 'Python', 'Kotlin', 'Swift', 'Java', 'Rust', 'Ruby', 'HCL', 'Scala'] as const;

export const COMMIT_MESSAGES = [
  'Fix flaky test in the payment retry suite',
  'Add pagination to the export endpoint',
  'Bump dependencies',
  'Refactor: extract the rate limiter',
  'Revert "Enable the new checkout flow"',
  'Handle empty responses from the upstream API',
  'Add metrics for queue latency',
  'Update README',
  'Migrate to Node 20',
  'Fix typo in the error message',
  'feat(auth): support SSO for guests',
  'chore: format with the new linter settings',
  'Übersetzungen aktualisiert',
  'Corrige l’affichage des dates',
  'Fix N+1 query on the dashboard 🐛',
  "Merge branch 'main' into feature/search-v2",
] as const;

export const PR_TITLES = [
  'Add retries to the webhook sender',
  'Search v2: ranking by recency',
  'Remove the legacy billing code path',
  'Upgrade the database driver',
  'Dark mode for the admin UI 🌙',
  'Introduce feature flags for checkout',
  'Fix timezone handling in reports',
  'Cache the team lookup',
  'Split the monolith: extract notifications',
  'WIP: new onboarding flow',
  'Document the release process',
  'Neue Exportfunktion für Berichte',
] as const;

export const BRANCHES = [
  'feature/search-v2',
  'fix/retry-backoff',
  'chore/deps',
  'feature/sso',
  'refactor/limiter',
  'hotfix/checkout',
  'feature/dark-mode',
  'docs/release',
] as const;

export const TASK_TITLES = [
  'Investigate slow dashboard load',
  'Add CSV export to reports',
  'Rotate the API keys',
  'Write the incident postmortem',
  'Set up alerts for the queue backlog',
  'Design the new onboarding screens',
  'Upgrade Kubernetes to 1.30',
  'Fix login redirect loop',
  'Spike: evaluate OpenTelemetry',
  'Clean up feature flags',
  'Accessibility audit of checkout',
  'Übersetzung der Fehlermeldungen',
  'Migrer les tâches planifiées',
  'Support emoji in team names 🎉',
] as const;

export const EVENT_TITLES = [
  'Daily stand-up',
  'Sprint planning',
  'Retrospective',
  '1:1',
  'Architecture review',
  'Incident review',
  'All hands',
  'Backlog grooming',
  'Demo day',
  'Interview loop',
  'Pairing session',
  'Quarterly planning',
] as const;

export const TIMEZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Sao_Paulo', 'Asia/Tokyo', 'Europe/Warsaw', 'UTC'] as const;

export const VIEW_NAMES = [
  'Engineering Summary',
  'DORA overview',
  'Cycle time by team',
  'Review collaboration',
  'Meeting load',
  'Project financials',
  'AI impact',
  'Deploys this quarter',
  'Platform health',
  'Hiring pipeline velocity',
] as const;

/** `GET /dashboard-views/catalog`: the built-in dashboard types. */
export const CATALOG = [
  { key: 'overview', name: 'Overview Dashboard', description: 'High-level health and delivery metrics' },
  { key: 'dora', name: 'DORA Metrics', description: 'Deployment frequency, lead time for changes, change failure rate and time to restore' },
  { key: 'flow', name: 'Flow Metrics', description: 'Cycle time, throughput and work in progress across boards' },
  { key: 'review_collaboration', name: 'Review Collaboration', description: 'Who reviews whom, review depth and turnaround' },
  { key: 'meetings', name: 'Meetings & Interactions', description: 'Meeting load and focus time per team' },
  { key: 'team_activity', name: 'Team Activity', description: 'Commits, pull requests and tasks per team' },
  { key: 'project_financials', name: 'Project Financials', description: 'Engineering cost allocated to projects and epics' },
  { key: 'ai_impact', name: 'AI Impact', description: 'Adoption and effect of AI coding assistants' },
] as const;

/** Git providers of `/git/apps`, in the order git apps are created. */
export const GIT_PROVIDERS = [
  { provider: 'github', code: 'gh', name: 'GitHub Enterprise', host: 'https://github.com' },
  { provider: 'gitlab', code: 'gl', name: 'GitLab', host: 'https://gitlab.com' },
  { provider: 'bitbucket', code: 'bb', name: 'Bitbucket Cloud', host: 'https://bitbucket.org' },
  { provider: 'github', code: 'gh', name: 'GitHub', host: 'https://github.com' },
] as const;

/** The other integrations of `/apps`. */
export const OTHER_PROVIDERS = [
  { provider: 'jira', code: 'jira', name: 'Jira Cloud' },
  { provider: 'slack', code: 'slack', name: 'Slack' },
  { provider: 'google_calendar', code: 'gcal', name: 'Google Calendar' },
  { provider: 'linear', code: 'linear', name: 'Linear' },
  { provider: 'clickup', code: 'clickup', name: 'ClickUp' },
  { provider: 'outlook', code: 'outlook', name: 'Microsoft Outlook' },
  { provider: 'zoom', code: 'zoom', name: 'Zoom' },
] as const;

export const BOARD_PROVIDERS = ['jira', 'linear', 'clickup'] as const;
export const BOARD_KINDS = ['Sprint board', 'Kanban', 'Roadmap', 'Bugs'] as const;

export const INTERACTION_KINDS = [
  { type: 'pr_review', source: 'github' },
  { type: 'pr_comment', source: 'github' },
  { type: 'review_request', source: 'gitlab' },
  { type: 'slack_thread', source: 'slack' },
  { type: 'slack_mention', source: 'slack' },
  { type: 'meeting', source: 'google_calendar' },
] as const;
