// One place for quoting values into ready-to-run commands (see powershell.ts and native.ts).
export { adFilter, psArg, psArray, psLiteral, PS_DOUBLE_QUOTES, PS_SINGLE_QUOTES } from './powershell';
export { fileNameFrom, inertArg, inertFileName, leftOutNote } from './native';
export * from './windows';
