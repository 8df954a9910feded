// Types for bin/dist-state.js (plain JavaScript: bin/passerelle.js runs it before any loader).
export declare const STAMP: string;
export declare function newestSourceTime(root: string): number;
export declare function distState(root: string): 'fresh' | 'missing' | 'stale';
