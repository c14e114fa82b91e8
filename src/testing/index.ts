export type { MemoryFaultPatch, MemoryFaults } from './faults';
export { createMemoryBackend, type MemoryBackend, type MemoryBackendOptions } from './memory-backend';
export type { MemoryBucket, MemoryObject } from './memory-store';
