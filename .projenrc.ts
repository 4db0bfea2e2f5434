import { cdk, javascript } from 'projen';

const project = new cdk.JsiiProject({
  name: 'cdktf-microseg',
  description: 'Microsegmentation as code for CDK for Terraform: typed per-workload network policy compiled to AWS, Azure and NSX enforcement.',
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
  ],
  bundledDeps: ['ipaddr.js', 'commander'],
  bin: { microseg: 'bin/microseg' },
  devDeps: [
    'cdktf@0.21.0',
    'constructs@10.4.2',
    '@cdktf/provider-aws@21.22.1',
    '@cdktf/provider-azurerm@14.23.1',
    '@cdktf/provider-vsphere@11.2.1',
    'cdktf-cli@0.21.0',
    'ts-node',
    'fast-check',
  ],
  jestOptions: {
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 60000,
      collectCoverage: false,
    },
  },
  tsconfigDev: {
    compilerOptions: {},
    include: ['examples/**/*.ts', 'bench/**/*.ts'],
  },
});

project.addTask('bench', {
  description: 'Benchmark: synth of a generated estate (library vs plain cdktf) and the evaluator matrix',
  exec: 'ts-node --transpile-only bench/main.ts',
});

project.gitignore.exclude('cdktf.out/', '.gen/', 'bench-out/');
project.npmignore?.exclude('examples/', 'bench/', 'cdktf.json', 'cdktf.out/');

project.synth();
