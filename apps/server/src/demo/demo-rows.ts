/** Rows the generator produces and the writer inserts in bulk. */
export interface DemoTicketRow {
  id: string;
  subject: string;
  status: string;
  priority: string;
  type: string;
  categoryId: string;
  tags: string[];
  customFields: Record<string, unknown>;
  language: string;
  channel: string;
  teamId: string | null;
  assigneeId: string | null;
  customerId: string;
  organisationId: string | null;
  lastSeq: number;
  messageCount: number;
  searchText: string;
  createdAt: Date;
  updatedAt: Date;
  firstResponseAt: Date | null;
  lastMessageAt: Date | null;
  lastCustomerMessageAt: Date | null;
  solvedAt: Date | null;
  closedAt: Date | null;
}

export interface DemoMessageRow {
  id: string;
  ticketId: string;
  seq: number;
  kind: 'public' | 'internal';
  authorType: 'customer' | 'staff';
  authorStaffId: string | null;
  authorCustomerId: string | null;
  channel: string;
  bodyText: string;
  status: string;
  meta: Record<string, unknown>;
  handleSeconds: number | null;
  searchText: string;
  createdAt: Date;
}

export interface DemoEventRow {
  type: string;
  ticketId: string;
  customerId: string | null;
  actorType: 'staff' | 'customer' | 'system';
  actorId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface DemoCollaboratorRow {
  ticketId: string;
  userId: string;
  addedById: string | null;
  createdAt: Date;
}

export interface DemoBatch {
  tickets: DemoTicketRow[];
  messages: DemoMessageRow[];
  events: DemoEventRow[];
  collaborators: DemoCollaboratorRow[];
}
