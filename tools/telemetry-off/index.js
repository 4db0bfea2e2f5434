'use strict';
// cdktf's CLI reports every command to HashiCorp's checkpoint service unless CHECKPOINT_DISABLE is
// set; on a machine without internet that prints `[ERROR] getaddrinfo ENOTFOUND checkpoint-api...`.
// The repository's .npmrc preloads this file into the processes npm and npx start, so
// `npx cdktf synth` is quiet here. A value the user set wins.
if (process.env.CHECKPOINT_DISABLE === undefined) {
  process.env.CHECKPOINT_DISABLE = '1';
}
