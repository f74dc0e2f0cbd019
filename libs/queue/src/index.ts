export * from './queue.constants.js';
export * from './redis-connection.js';
