import type { CreateSlaPolicyBody, SlaEscalation, SlaPolicy } from '@seva/contracts';

/** The SLA policy editor's state; targets are text in the inputs (empty = not measured). */
export interface PolicyForm {
  name: string;
  description: string;
  active: boolean;
  priorities: string[];
  channels: string[];
  categoryIds: string[];
  organisationIds: string[];
  customerTiers: string[];
  targets: { firstResponse: number | ''; nextResponse: number | ''; periodicUpdate: number | ''; resolution: number | '' };
  businessHours: boolean;
  calendarId: string | null;
  warnPercent: number;
  escalations: SlaEscalation[];
}

export function emptyPolicyForm(): PolicyForm {
  return {
    name: '',
    description: '',
    active: true,
    priorities: [],
    channels: [],
    categoryIds: [],
    organisationIds: [],
    customerTiers: [],
    targets: { firstResponse: 240, nextResponse: '', periodicUpdate: '', resolution: 2880 },
    businessHours: true,
    calendarId: null,
    warnPercent: 75,
    escalations: [],
  };
}

export function policyToForm(p: SlaPolicy): PolicyForm {
  return {
    name: p.name,
    description: p.description,
    active: p.active,
    priorities: p.conditions.priorities ?? [],
    channels: p.conditions.channels ?? [],
    categoryIds: p.conditions.categoryIds ?? [],
    organisationIds: p.conditions.organisationIds ?? [],
    customerTiers: p.conditions.customerTiers ?? [],
    targets: {
      firstResponse: p.targets.firstResponse ?? '',
      nextResponse: p.targets.nextResponse ?? '',
      periodicUpdate: p.targets.periodicUpdate ?? '',
      resolution: p.targets.resolution ?? '',
    },
    businessHours: p.businessHours,
    calendarId: p.calendarId,
    warnPercent: p.warnPercent,
    escalations: p.escalations,
  };
}

/** The request body, or the i18n key (desk-rules:sla.policy.*) of what is missing. */
export function formToPolicyBody(f: PolicyForm): { body: CreateSlaPolicyBody } | { problem: string } {
  if (!f.name.trim()) return { problem: 'nameRequired' };
  const targets: CreateSlaPolicyBody['targets'] = {};
  for (const [k, v] of Object.entries(f.targets) as Array<[keyof PolicyForm['targets'], number | '']>) {
    if (v !== '' && Number.isFinite(v) && v > 0) targets[k] = Math.round(v);
  }
  if (Object.keys(targets).length === 0) return { problem: 'targetRequired' };
  if (f.escalations.some((e) => e.actions.some((a) => a.type === 'reassign' && !a.userId && !a.teamId))) return { problem: 'reassignTarget' };
  const conditions: CreateSlaPolicyBody['conditions'] = {};
  if (f.priorities.length) conditions.priorities = f.priorities as NonNullable<CreateSlaPolicyBody['conditions']['priorities']>;
  if (f.channels.length) conditions.channels = f.channels as NonNullable<CreateSlaPolicyBody['conditions']['channels']>;
  if (f.categoryIds.length) conditions.categoryIds = f.categoryIds;
  if (f.organisationIds.length) conditions.organisationIds = f.organisationIds;
  if (f.customerTiers.length) conditions.customerTiers = f.customerTiers;
  return {
    body: {
      name: f.name.trim(),
      description: f.description,
      active: f.active,
      conditions,
      targets,
      businessHours: f.businessHours,
      calendarId: f.calendarId,
      warnPercent: f.warnPercent,
      escalations: f.escalations.filter((e) => e.actions.length > 0),
    },
  };
}

/** "= 2 d 4 h" helper text for a target in minutes. */
export function minutesAsParts(minutes: number): { d: number; h: number; m: number } {
  return { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60), m: minutes % 60 };
}
