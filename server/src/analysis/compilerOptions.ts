// Compiler options per file, from the nearest tsconfig.json/jsconfig.json (following `extends`), so
// module resolution honours each project's `paths` and `baseUrl`. Files under no config get
// defaults that resolve like a bundler would.
import path from 'node:path';
import ts from 'typescript';

const DEFAULTS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
};

export class CompilerOptionsByDirectory {
  private readonly byDir = new Map<string, ts.CompilerOptions>();
  private readonly byConfig = new Map<string, ts.CompilerOptions>();

  constructor(
    private readonly stopAt: string[],
    /** Reads a config file (bounded: configs come from the workspace too). */
    private readonly readFile: (file: string) => string | undefined = ts.sys.readFile,
  ) {}

  forFile(file: string): ts.CompilerOptions {
    return this.forDir(path.dirname(file));
  }

  forget(): void {
    this.byDir.clear();
    this.byConfig.clear();
  }

  private forDir(dir: string): ts.CompilerOptions {
    const known = this.byDir.get(dir);
    if (known) return known;
    let options = DEFAULTS;
    const config = ['tsconfig.json', 'jsconfig.json']
      .map((n) => path.join(dir, n))
      .find((f) => ts.sys.fileExists(f));
    const parent = path.dirname(dir);
    if (config) options = this.parseConfig(config);
    else if (parent !== dir && !this.stopAt.includes(dir)) options = this.forDir(parent);
    this.byDir.set(dir, options);
    return options;
  }

  private parseConfig(configFile: string): ts.CompilerOptions {
    const known = this.byConfig.get(configFile);
    if (known) return known;
    let options = DEFAULTS;
    try {
      const parsed = ts.getParsedCommandLineOfConfigFile(
        configFile,
        {},
        { ...ts.sys, readFile: this.readFile, onUnRecoverableConfigFileDiagnostic: () => undefined },
      );
      if (parsed) options = { ...DEFAULTS, ...parsed.options };
    } catch {
      // A broken tsconfig must not stop the analysis: fall back to defaults.
    }
    this.byConfig.set(configFile, options);
    return options;
  }
}
