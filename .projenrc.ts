import { cdk, javascript } from 'projen';

const project = new cdk.JsiiProject({
  npmignoreEnabled: false,
  name: 'cdktf-microseg',
  description: 'Microsegmentation as code for CDK for Terraform: typed per-workload network policy compiled to AWS, Azure, NSX, Google Cloud, Kubernetes and host firewall enforcement.',
  author: 'cdktf-microseg maintainers',
  authorAddress: 'maintainers@cdktf-microseg.dev',
  repositoryUrl: 'https://github.com/cdktf-microseg/cdktf-microseg.git',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  srcdir: 'lib',
  testdir: 'test',
  libdir: 'dist',
  entrypoint: 'dist/index.js',
  entrypointTypes: 'dist/index.d.ts',
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',
  github: false,
  release: false,
  buildWorkflow: false,
  license: 'Apache-2.0',
  keywords: ['cdktf', 'terraform', 'microsegmentation', 'security-groups', 'nsx', 'azure', 'aws'],
  peerDependencyOptions: { pinnedDevDependency: false },
  peerDeps: [
    'cdktf@^0.21.0',
    'constructs@^10.4.2',
    '@cdktf/provider-aws@^21.0.0',
    '@cdktf/provider-azurerm@^14.0.0',
    '@cdktf/provider-vsphere@^11.0.0',
    '@cdktf/provider-kubernetes@^12.0.0',
    '@cdktf/provider-google@^16.0.0',
  ],
  bundledDeps: ['ipaddr.js', 'commander'],
  bin: { microseg: 'bin/microseg' },
  devDeps: [
    'cdktf@0.21.0',
    'constructs@10.4.2',
    '@cdktf/provider-aws@21.22.1',
    '@cdktf/provider-azurerm@14.23.1',
    '@cdktf/provider-vsphere@11.2.1',
    '@cdktf/provider-kubernetes@12.1.1',
    '@cdktf/provider-google@16.12.1',
    'cdktf-cli@0.21.0',
    'ts-node',
    'fast-check',
    'cdktf-microseg-telemetry-off@file:tools/telemetry-off',
    // Tests of `microseg report` and `microseg check` only:
    // - playwright-core drives Debian's chromium (no browser download of its own);
    // - mermaid is the reference flowchart parser (@mermaid-js/parser has no flowchart grammar, and
    //   @probelabs/maid rejects valid diagrams); 11.x runs on Node 20; jsdom gives its sanitizer a DOM;
    // - ajv-draft-04 (with ajv and ajv-formats) validates against the SARIF 2.1.0 schema, a draft-04
    //   schema that @microsoft/jest-sarif ships (sarif-2.1.0-rtm.5.json, the standard's final schema).
    'playwright-core@^1.65.1',
    'mermaid@~11.17.2',
    'jsdom@^26.1.0',
    'ajv@^8.20.0',
    'ajv-draft-04@^1.0.0',
    'ajv-formats@^3.0.1',
    '@microsoft/jest-sarif@1.0.0-beta.0',
    // Runs the type-check and the linter side by side before the tests (see the test task below);
    // 9.x is the line that supports Node 20.
    'concurrently@^9.2.5',
    // The documentation test reads the Markdown's code blocks with CommonMark's reference parser
    // (fences in list items, tildes, longer fences) rather than a parser of its own.
    'commonmark@^0.31.2',
    '@types/commonmark@^0.27.10',
    // The host firewall tests parse the generated Windows Defender Firewall scripts with PowerShell's
    // tree-sitter grammar (prebuilt for linux-x64; no PowerShell installs from npm or Debian).
    'tree-sitter@0.25.1',
    'tree-sitter-powershell@0.26.4',
    // The base of the test environment (test/setup/node-environment.ts); jest 30 brings this version.
    'jest-environment-node@^30.5.2',
  ],
  jestOptions: {
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 60000,
      collectCoverage: false,
      // Jest's default (one worker less than the cores) runs every suite in one process on a 2-core
      // machine; the parent process only schedules, so one worker per core.
      maxWorkers: '100%',
      testEnvironment: '<rootDir>/test/setup/node-environment.ts',
      // Each run gets a temporary directory of its own, removed when it ends: the outdirs the tests
      // make would otherwise stay in the machine's (tens of thousands after a few hundred runs).
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  },
  tsconfigDev: {
    compilerOptions: {},
    // relative to test/, where projen writes this file: the example apps and the bench are type-checked too
    include: ['../examples/**/*.ts', '../bench/**/*.ts'],
    // A user's app, type-checked against the packed library by the packaging test, outside this project.
    exclude: ['packaging/scratch-app'],
  },
});

// The TypeScript import resolver pulls in unrs-resolver, whose nested per-platform bindings npm 11
// writes into package-lock.json without versions, which `npm ci` then rejects on a fresh machine. The
// node resolver with TypeScript extensions resolves every import this project has.
project.deps.removeDependency('eslint-import-resolver-typescript');
const eslintrc = project.tryFindObjectFile('.eslintrc.json')!;
eslintrc.addDeletionOverride('settings.import/resolver.typescript');
eslintrc.addOverride('settings.import/resolver.node', { extensions: ['.ts', '.d.ts', '.js', '.json'] });
// A user's app, type-checked against the packed library by the packaging test, outside this project.
project.eslint?.addIgnorePattern('test/packaging/scratch-app/');
// The bench is linted like the library and its tests. The linter's type-aware rules read each file
// through the nearest tsconfig.json, so the bench has one: the tests' settings, its own files.
project.eslint?.addLintPattern('bench');
new javascript.TypescriptConfig(project, {
  fileName: 'bench/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../test/tsconfig.json']),
  include: ['**/*.ts'],
  exclude: [],
  compilerOptions: {},
});

// Each platform's provider package is an optional peer: an app installs the providers of the platforms
// it uses, and the library loads a platform's code (and its provider) only when the app uses it. jsii
// ignores peerDependenciesMeta: the assembly still lists them as dependencies, so the packages
// jsii-pacmak generates for other languages require all of them.
project.package.addField('peerDependenciesMeta', {
  '@cdktf/provider-aws': { optional: true },
  '@cdktf/provider-azurerm': { optional: true },
  '@cdktf/provider-vsphere': { optional: true },
  '@cdktf/provider-kubernetes': { optional: true },
  '@cdktf/provider-google': { optional: true },
});

// Public entry points, so users never import deep dist/ paths. `typesVersions` gives the same names
// to TypeScript projects that still resolve modules the node10 way (cdktf's own template does).
project.package.addField('exports', {
  '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  './verify': { types: './dist/verify/index.d.ts', default: './dist/verify/index.js' },
  './verify/jest': { types: './dist/verify/jest.d.ts', default: './dist/verify/jest.js' },
  // Deprecated deep paths of earlier releases (`cdktf-microseg/dist/verify`, `.../dist/verify/jest`)
  // keep resolving: a folder's index needs its own entry, the pattern maps to files only.
  './dist/verify': { types: './dist/verify/index.d.ts', default: './dist/verify/index.js' },
  './dist/*': { types: './dist/*.d.ts', default: './dist/*.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
});
project.package.addField('typesVersions', {
  '*': {
    'verify': ['dist/verify/index.d.ts'],
    'verify/jest': ['dist/verify/jest.d.ts'],
  },
});

// npm runs `prepare` before `npm pack`, after a local `npm install`/`npm ci`, and when a user installs
// the package from a git URL: each then has a compiled dist/, without running the tests.
project.addTask('prepare', {
  description: 'Compile dist/ (no tests): before npm pack, after npm ci, and for installs from git',
  exec: 'jsii --silence-warnings=reserved-word',
});

// ts-jest only transpiles (test/tsconfig.json has isolatedModules), so one type-check of the tests and
// of the library they import runs first. Incremental: a run re-checks only what changed since the last.
project.addTask('typecheck', {
  description: 'Type-check the tests and the library sources they import',
  exec: 'tsc --noEmit -p test/tsconfig.json --incremental --tsBuildInfoFile node_modules/.cache/cdktf-microseg/typecheck.tsbuildinfo',
});
// The type-check and the linter are one process each, and each builds its own program of the same
// sources: side by side on two cores they take as long as the linter alone (10-15 s less on a
// fresh clone). They run before the tests, so a type or lint error fails in well under a minute.
const staticChecks = project.addTask('static-checks', {
  description: 'Type-check and lint at the same time; fails when either fails, after both have reported',
  exec: 'concurrently --names typecheck,eslint --prefix-colors auto "projen typecheck" "projen eslint"',
});
const eslintStep = project.testTask.steps.findIndex((step) => step.spawn === 'eslint');
if (eslintStep < 0) throw new Error('the test task no longer spawns eslint: check the static-checks step');
project.testTask.removeStep(eslintStep);
project.testTask.prependSpawn(staticChecks);

project.addTask('check-lock', {
  description: 'Fail when package-lock.json has entries without a version or is out of sync with package.json',
  exec: 'node tools/check-lock.js',
});

project.addTask('bench', {
  description: 'Benchmark: synthesis of generated estates, library vs plain cdktf, under ts-node and compiled, and the evaluator (options: --help)',
  exec: 'ts-node --transpile-only bench/main.ts',
  receiveArgs: true,
});

project.addTask('bench:phases', {
  description: 'Where a synthesis of each named estate spends its time, compiled: phases, garbage collections, heap (for example: --runs 3 aws-sg aws-sg-10x)',
  exec: 'ts-node --transpile-only bench/phases.ts',
  receiveArgs: true,
});

// The hand-written NSX bindings are the `nsxt` submodule; their reference goes to nsxt.md so that
// API.md documents the library itself.
project.tasks.tryFind('docgen')?.reset('jsii-docgen -o API.md --split-by-submodule');

project.gitignore.exclude('cdktf.out/', '.gen/', 'bench-out/');
// What the package ships, named rather than left to .npmignore (which npm no longer reads once
// `files` is set, so the project writes none): a working tree also holds synthesized estates
// (bench-out/ holds hundreds of MB after `npm run bench`), the examples' allocation file and whatever a
// developer keeps beside them, none of which an app needs. package.json, the README and the license
// always ship, and so do the bundled dependencies.
project.package.addField('files', ['dist/**/*.js', 'dist/**/*.d.ts', '.jsii', 'bin/', 'docs/', 'API.md', 'nsxt.md']);

project.synth();
