// One file per aggregate; this index is what drizzle and the app see.
export * from './identity';
export * from './organization';
export * from './cases';
export * from './drafts';
export * from './audit';
export * from './sync';
export * from './baseline';
export * from './amendments';
export * from './comments';
export * from './positions';
export * from './versions';
