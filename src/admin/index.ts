import { registerGruAttachment } from '../gru';
import { AdminServer } from './admin-server';

export { AdminServer, ADMIN_MAX_BODY_BYTES } from './admin-server';
export type { AdminOptions } from '../gru';
export type { AdminErrorBody } from './http-errors';

// On by default: every Gru.create after this module loads starts the admin (see GruOptions.admin).
registerGruAttachment('admin', (context) => AdminServer.start(context));
