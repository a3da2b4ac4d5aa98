/** Vocabularies of the generated Perform & Engage 365 tenant. */

export const AREAS = [
  'Engineering',
  'Sales',
  'Marketing',
  'Customer Success',
  'Finance',
  'People',
  'Operations',
  'Legal',
  'Product',
  'Data',
  'IT',
  'Procurement',
  'Facilities',
  'Research',
  'Support',
] as const;
export const REGIONS = ['UK', 'Ireland', 'DACH', 'France', 'Nordics', 'Iberia', 'North America'] as const;

export const GOAL_TITLES = [
  'Increase sales by 20%',
  'Launch the customer portal',
  'Reduce ticket backlog',
  'Complete ISO 27001 audit',
  'Improve eNPS to 40',
  'Hire three engineers',
  'Cut onboarding time in half',
  'Grow the partner channel',
  'Migrate to Microsoft 365',
  'Réduire les délais de paiement',
  'Mitarbeiterzufriedenheit steigern',
  'Publish the learning catalogue',
] as const;

export const QUESTION_TEXTS = [
  'How was your week?',
  'What did you achieve this week?',
  'What is blocking you?',
  'How are you feeling about your workload?',
  'Did you have a 1:1 with your manager this week?',
  'Who deserves a shout-out this week?',
  'Rate your week from 1 to 5',
  'Which priority matters most next week?',
  'Was ist diese Woche gut gelaufen?',
  'Qu’est-ce qui vous motive en ce moment ?',
] as const;

export const CHOICES = ['Great', 'Good', 'Okay', 'Not great', 'Difficult'] as const;

export const ANSWERS = [
  'Shipped the new onboarding flow 🎉',
  'Mostly meetings, need more focus time.',
  'Blocked on the vendor contract.',
  'Good week — closed two deals.',
  'Alles im grünen Bereich.',
  'Beaucoup de réunions, mais productif.',
  'Helped the support team with the backlog.',
] as const;

export const PRAISE = [
  'Thanks for covering the demo at short notice!',
  'Brilliant work on the Q3 report.',
  'Always happy to help — a true team player.',
  'Danke für die Unterstützung beim Release!',
  'Merci pour ton énergie dans l’équipe 💪',
] as const;

export const TEMPLATE_KINDS = [
  'Performance Review',
  '1:1',
  '9-Box',
  'Probation Review',
  'Career Conversation',
  'Return to Work',
  'Exit Interview',
  'Objective Setting',
] as const;
export const STAGES = ['Preparation', 'Meeting', 'Sign-off'] as const;
export const FREQUENCIES = ['weekly', 'monthly', 'quarterly', 'biannually', 'annually', 'one-off'] as const;
