export * from './auth-user.js';
export * from './auth.module.js';
export * from './auth.service.js';
export * from './demo-users.js';
export * from './policy.service.js';
export * from './signing-secret.repository.js';
export * from './users.service.js';
