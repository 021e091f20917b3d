/** This release of Loophole (the `version` in package.json, checked by a test). */
export const RELEASE = '0.1.0';
