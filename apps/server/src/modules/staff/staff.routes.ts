import {
  ChangePasswordBody,
  InviteStaffBody,
  InviteStaffResult,
  StaffIdParams,
  StaffList,
  StaffUser,
  UpdateMeBody,
  UpdateStaffBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { toStaffUserDto } from './staff.dto.ts';
import { changePassword, inviteStaff, listStaff, updateMe, updateStaff } from './staff.service.ts';

export async function staffRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/staff',
    {
      config: { policy: 'staff:read' },
      schema: { tags: ['staff'], summary: 'List staff members', response: { 200: StaffList } },
    },
    async () => ({ items: (await listStaff(app.deps)).map(toStaffUserDto) }),
  );

  r.post(
    '/staff/invitations',
    {
      config: { policy: 'staff:manage' },
      schema: {
        tags: ['staff'],
        summary: 'Invite a staff member (the invite link is shown once)',
        body: InviteStaffBody,
        response: { 201: InviteStaffResult },
      },
    },
    async (req, reply) => {
      const result = await inviteStaff(app.deps, { actor: requireActor(req), ...req.body });
      return reply.status(201).send({ user: toStaffUserDto(result.user), inviteUrl: result.inviteUrl });
    },
  );

  r.patch(
    '/staff/:id',
    {
      config: { policy: 'staff:manage' },
      schema: {
        tags: ['staff'],
        summary: "Change a staff member's role, status or name",
        params: StaffIdParams,
        body: UpdateStaffBody,
        response: { 200: StaffUser },
      },
    },
    async (req) =>
      toStaffUserDto(await updateStaff(app.deps, { actor: requireActor(req), userId: req.params.id, ...req.body })),
  );

  r.patch(
    '/me',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags: ['staff'],
        summary: 'Change your own name or language',
        body: UpdateMeBody,
        response: { 200: StaffUser },
      },
    },
    async (req) => toStaffUserDto(await updateMe(app.deps, { actor: requireActor(req), ...req.body })),
  );

  r.post(
    '/me/password',
    {
      config: { policy: 'authenticated', rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags: ['staff'],
        summary: 'Change your password (ends your other sessions)',
        body: ChangePasswordBody,
        response: { 204: z.null().describe('Password changed') },
      },
    },
    async (req, reply) => {
      await changePassword(app.deps, {
        actor: requireActor(req),
        currentPassword: req.body.currentPassword,
        newPassword: req.body.newPassword,
        keepSessionIdHash: req.sessionIdHash,
      });
      return reply.status(204).send(null);
    },
  );
}
