/**
 * Positions on a case and its points, the rules on recording them, the derived party positions, the
 * decision matrix, the clerk's meeting record and the protocol summary. Pure TypeScript without I/O.
 */
export * from './kinds';
export * from './verdict';
export * from './text';
export * from './meeting';
export * from './rules';
export * from './party';
export * from './matrix';
export * from './visibility';
export * from './summary';
