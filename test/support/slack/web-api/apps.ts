/** apps.connections.open: a single-use WebSocket URL for Socket Mode. */
import type { MethodHandler } from './method.js';

export const connectionsOpen: MethodHandler = ({ ws }) => {
  const { ticket } = ws.tickets.issue();
  const wsBase = ws.baseUrl.replace(/^http:/, 'ws:');
  const query = new URLSearchParams({ ticket, app_id: ws.bot.appId });
  return { url: `${wsBase}/link/?${query.toString()}` };
};
