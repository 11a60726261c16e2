export * from './common.js';
export * from './auth.js';
export * from './sessions.js';
export * from './understanding.js';
export * from './ws.js';
export * from './invitations.js';
export * from './admin.js';
export * from './questions.js';
