import ts from 'typescript';

/** The reader's lookup interfaces, as `unplugin-buttercms` declares them (empty, augmentable). */
export const PACKAGE_STUB = `
export interface ButterPageTypes {}
export interface ButterSinglePages {}
export interface ButterCollections {}
export interface ButterBlogTypes {}
`;

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  types: [],
  skipLibCheck: false,
  noUnusedLocals: false,
  exactOptionalPropertyTypes: false,
  noUncheckedIndexedAccess: true,
};

const libCache = new Map<string, ts.SourceFile>();

/**
 * Type-checks a virtual project under `tsc --strict`: `files` maps names under `/project/` to
 * sources; `unplugin-buttercms` resolves to `PACKAGE_STUB` unless `paths` says otherwise.
 * Returns the diagnostics of those files as `file(line): message` strings.
 */
export function typecheck(
  files: Record<string, string>,
  extra: { paths?: Record<string, string[]> } = {},
): string[] {
  const virtual = new Map<string, string>();
  for (const [name, text] of Object.entries(files)) virtual.set(`/project/${name}`, text);
  virtual.set('/project/stub/unplugin-buttercms.d.ts', PACKAGE_STUB);
  const options: ts.CompilerOptions = {
    ...OPTIONS,
    paths: { 'unplugin-buttercms': ['/project/stub/unplugin-buttercms.d.ts'] },
    ...(extra.paths
      ? {
          paths: extra.paths,
          allowImportingTsExtensions: true,
          types: ['node'],
          skipLibCheck: true,
        }
      : {}),
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => virtual.get(name) ?? readFile(name);
  host.fileExists = (name) =>
    virtual.has(name) || (!name.startsWith('/project/') && fileExists(name));
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) =>
    name === '/project' || name.startsWith('/project/') || (directoryExists?.(name) ?? false);
  host.getSourceFile = (name, version, onError) => {
    const text = virtual.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, version, true);
    const cached = libCache.get(name);
    if (cached) return cached;
    const file = getSourceFile(name, version, onError);
    // Files on disk (libraries, the package's sources) do not change while the tests run.
    if (file) libCache.set(name, file);
    return file;
  };
  const roots = Object.keys(files).map((name) => `/project/${name}`);
  const program = ts.createProgram(roots, options, host);
  // The given files only: what they use elsewhere is checked as far as they use it, and the
  // rest of the program (the package's sources, libraries) is not checked again for each test.
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...roots.flatMap((root) => {
      const file = program.getSourceFile(root);
      return file
        ? [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]
        : [];
    }),
  ];
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.replace('/project/', '')}(${line + 1}): ${message}`;
  });
}

/** Source assigning each sample to its type with `satisfies` (excess keys fail too). */
export function probeSource(samples: { type: string; value: unknown }[]): string {
  const types = [...new Set(samples.map((s) => s.type.replace(/\[.*$/, '')))].sort();
  const lines = [`import type { ${types.join(', ')} } from './buttercms';`, ''];
  samples.forEach((s, i) => {
    lines.push(`export const sample${i} = ${JSON.stringify(s.value)} satisfies ${s.type};`);
  });
  return `${lines.join('\n')}\n`;
}
