/** Fixed vocabularies of the generated Leapsome tenant. */

export const TEAM_NAMES = [
  'Managers (Auto)',
  'Platform',
  'Sales DACH',
  'Customer Success',
  'Data & Analytics',
  'Product Design',
  'Recruiting',
  'Finance Ops',
  'Marketing – Brand',
  'Mobile',
  'Security',
  'People Partners',
  'Support Tier 2',
  'Growth',
  'Infrastruktur',
  'Équipe Paris',
] as const;

export const DEPARTMENTS = ['Engineering', 'Sales', 'Customer Success', 'People & Culture', 'Finance', 'Marketing', 'Product', 'Legal'] as const;
export const BUSINESS_UNITS = ['Core Platform', 'Enterprise', 'SMB'] as const;
export const COST_CENTERS = ['CC-1001 R&D', 'CC-1002 Go-to-Market', 'CC-2001 G&A', 'CC-3001 Operations', 'CC-4001 Überlingen', 'CC-5001 Kraków'] as const;
export const DIVISIONS = ['EMEA', 'Americas', 'APAC'] as const;
export const OTHER_GROUPS = ['Works Council', 'Mentors', 'Green Team 🌱', 'Book Club'] as const;

export const TITLES = [
  'Software Engineer',
  'Senior Software Engineer',
  'Staff Engineer',
  'Engineering Manager',
  'Account Executive',
  'Customer Success Manager',
  'Product Manager',
  'Product Designer',
  'Data Analyst',
  'Recruiter',
  'People Partner',
  'Controller',
  'Marketing Manager',
  'Support Specialist',
  'Head of Sales',
  'VP Engineering',
] as const;
export const LEVELS = ['Junior', 'Mid', 'Senior', 'Lead', 'Principal', 'Director'] as const;

export interface City {
  city: string;
  country: string;
  division: string | null;
  zip: string;
  currency: string;
  dateFormat: string;
}

export const CITIES: readonly City[] = [
  { city: 'Berlin', country: 'Germany', division: 'Berlin', zip: '10115', currency: 'EUR', dateFormat: 'DD.MM.YYYY' },
  { city: 'München', country: 'Germany', division: 'Bayern', zip: '80331', currency: 'EUR', dateFormat: 'DD.MM.YYYY' },
  { city: 'Hamburg', country: 'Germany', division: 'Hamburg', zip: '20095', currency: 'EUR', dateFormat: 'DD.MM.YYYY' },
  { city: 'London', country: 'United Kingdom', division: 'England', zip: 'EC1A 1BB', currency: 'GBP', dateFormat: 'DD/MM/YYYY' },
  { city: 'Paris', country: 'France', division: 'Île-de-France', zip: '75002', currency: 'EUR', dateFormat: 'DD/MM/YYYY' },
  { city: 'Madrid', country: 'Spain', division: 'Comunidad de Madrid', zip: '28013', currency: 'EUR', dateFormat: 'DD/MM/YYYY' },
  { city: 'Lisboa', country: 'Portugal', division: null, zip: '1100-148', currency: 'EUR', dateFormat: 'DD-MM-YYYY' },
  { city: 'Warszawa', country: 'Poland', division: 'Mazowieckie', zip: '00-001', currency: 'PLN', dateFormat: 'DD.MM.YYYY' },
  { city: 'Kraków', country: 'Poland', division: 'Małopolskie', zip: '30-001', currency: 'PLN', dateFormat: 'DD.MM.YYYY' },
  { city: 'København', country: 'Denmark', division: null, zip: '1050', currency: 'DKK', dateFormat: 'DD-MM-YYYY' },
  { city: 'Oslo', country: 'Norway', division: null, zip: '0150', currency: 'NOK', dateFormat: 'DD.MM.YYYY' },
  { city: 'Stockholm', country: 'Sweden', division: null, zip: '111 20', currency: 'SEK', dateFormat: 'YYYY-MM-DD' },
  { city: 'Zürich', country: 'Switzerland', division: 'Zürich', zip: '8001', currency: 'CHF', dateFormat: 'DD.MM.YYYY' },
  { city: 'Wien', country: 'Austria', division: 'Wien', zip: '1010', currency: 'EUR', dateFormat: 'DD.MM.YYYY' },
  { city: 'New York', country: 'United States', division: 'NY', zip: '10001', currency: 'USD', dateFormat: 'MM/DD/YYYY' },
  { city: 'São Paulo', country: 'Brazil', division: 'SP', zip: '01000-000', currency: 'BRL', dateFormat: 'DD/MM/YYYY' },
  { city: 'Tokyo', country: 'Japan', division: 'Tokyo', zip: '100-0001', currency: 'JPY', dateFormat: 'YYYY/MM/DD' },
  { city: 'İstanbul', country: 'Türkiye', division: null, zip: '34000', currency: 'TRY', dateFormat: 'DD.MM.YYYY' },
  { city: 'Amsterdam', country: 'Netherlands', division: 'Noord-Holland', zip: '1012 AB', currency: 'EUR', dateFormat: 'DD-MM-YYYY' },
  { city: 'Dublin', country: 'Ireland', division: null, zip: 'D02 XY45', currency: 'EUR', dateFormat: 'DD/MM/YYYY' },
  { city: 'Toronto', country: 'Canada', division: 'Ontario', zip: 'M5H 2N2', currency: 'CAD', dateFormat: 'YYYY-MM-DD' },
  { city: 'Bengaluru', country: 'India', division: 'Karnataka', zip: '560001', currency: 'INR', dateFormat: 'DD-MM-YYYY' },
] as const;

export const LOCATION_KINDS = ['Office', 'HQ', 'Hub', 'Campus', 'Studio', 'Lab'] as const;

export const STREETS = [
  'Hauptstraße 1',
  'Rosenthaler Str. 40',
  '1 Canada Square',
  'Rue de Rivoli 12',
  'Calle de Alcalá 45',
  'ul. Marszałkowska 8',
  'Østergade 3',
  'Bahnhofstrasse 7',
] as const;

export const GOAL_NAMES = [
  'Become a great place to work',
  'Increase ARR by 30%',
  'Launch the mobile app',
  'Reduce churn below 5%',
  'Improve onboarding NPS',
  'Hire 20 engineers',
  'Ship SSO for enterprise',
  'Cut cloud costs by 15%',
  'Expand into the Nordics',
  'Achieve SOC 2 Type II',
  'Grow pipeline in DACH',
  'Verbesserung der Codequalität',
  'Améliorer la satisfaction client',
  'Automate payroll exports',
  'Publish the engineering ladder',
  'Reach 99.95% uptime',
] as const;

export const KEY_RESULT_NAMES = [
  'Bring Glassdoor score up above 4',
  'Close 12 enterprise deals',
  'p95 latency under 300 ms',
  'eNPS ≥ 40',
  'Ship 3 customer-facing features',
  'Reduce open incidents to < 5',
  'Hire 4 senior engineers',
  'Publish 10 blog posts',
] as const;

export const TAG_NAMES = [
  'Q1 OKR',
  'Q2 OKR',
  'Q3 OKR',
  'Q4 OKR',
  'Growth',
  'Customer',
  'Hiring',
  'Engineering Excellence',
  'Sustainability 🌱',
  'Compliance',
  'Culture',
  'Revenue',
  'Kundenzufriedenheit',
  'Innovation',
  'Cost',
  'Security',
  'DEI',
  'Product-led',
  'Expansion',
  'Quality',
  'Efficiency',
  'Learning',
  'Brand',
  'Partnerships',
] as const;

export const REVIEW_TEMPLATES = [
  'Annual Performance Review',
  'Biannual Performance Feedback',
  'Probation Review',
  'Quarterly Check-in',
  '360° Leadership Review',
  'Évaluation annuelle',
] as const;

export const REVIEW_QUESTIONS = [
  'Drives innovation',
  'Delivers results',
  'Priorisiert effektiv',
  'Takes ownership',
  'Provides structure',
  'Manages expectations',
  'Communicates verbally',
  'Communicates in written',
  'Motivates',
  'Gibt Feedback',
  'What was your biggest achievement?',
  "What is this person's most important development goal?",
  'Placeholder Company Skills',
  'Collaborates across teams',
] as const;

export const COMMENTS = [
  '<p>Great progress this week! 🎉</p>',
  '<p>Can we align on the <strong>Q3</strong> targets?</p>',
  '<p>Blocked by the vendor contract, see <a href="https://example.com/ticket/42">ticket</a>.</p>',
  '<p>Updated the numbers after the board meeting.</p>',
  '<p>Ça avance bien — merci à toute l’équipe.</p>',
  '<p>Bitte bis Freitag aktualisieren.</p>',
  "<p>@Zoë let's discuss in our 1:1</p>",
] as const;

export const REVIEW_COMMENTS = [
  'Great job!',
  'You can improve here',
  '',
  '',
  'Consistently raises the bar.',
  'Mehr Struktur in Meetings wäre gut.',
  'Needs to delegate more, "but" improving.',
  'Très bonne communication.',
] as const;

export const FEEDBACK_MESSAGES = [
  'Thanks for jumping in on the incident last night!',
  'Your demo to the customer was outstanding.',
  'Danke für die Hilfe beim Onboarding 🙏',
  'Merci pour ta patience avec le nouveau process.',
  'Could you share the agenda a day earlier next time?',
  'Great collaboration on the Q3 launch.',
  'Dziękuję za szybką odpowiedź!',
  'The new dashboard saves me an hour a week.',
] as const;

export const BADGES = [
  { name: 'Team Player', icon: '/badges/team-player.svg' },
  { name: 'Customer Hero', icon: '/badges/customer-hero.svg' },
  { name: 'Innovator', icon: '/badges/innovator.svg' },
  { name: 'Above & Beyond', icon: '/badges/above-and-beyond.svg' },
] as const;

export const DOCUMENT_CATEGORIES = [
  'Past Reviews',
  'Contracts',
  'Certificates',
  'Payslips',
  'Onboarding',
  'Performance Improvement Plans',
  'Zeugnisse',
  'Formación',
] as const;

export const ACCESS_ROLES = [
  { name: 'Super Admin', userScopeType: 'none', systemDefaultType: 'superAdmin', active: true },
  { name: 'Admin', userScopeType: 'none', systemDefaultType: 'admin', active: true },
  { name: 'Manager', userScopeType: 'roleSpecific', systemDefaultType: 'manager', active: true },
  { name: 'Employee', userScopeType: 'roleSpecific', systemDefaultType: 'employee', active: true },
  { name: 'HR Business Partner', userScopeType: 'userSpecific', systemDefaultType: undefined, active: true },
  { name: 'Payroll Manager', userScopeType: 'roleSpecific', systemDefaultType: undefined, active: true },
  { name: 'Team Lead (Auto)', userScopeType: 'roleSpecific', systemDefaultType: undefined, active: true },
  { name: 'Recruiter', userScopeType: 'userSpecific', systemDefaultType: undefined, active: true },
  { name: 'Legacy Reviewer', userScopeType: 'none', systemDefaultType: undefined, active: false },
] as const;

export const PROJECTS = ['Internal', 'Client – Müller GmbH', 'Client – Acme Corp', 'R&D', 'Support', 'Training'] as const;

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
