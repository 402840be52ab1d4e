#!/usr/bin/env node
require("../dist/cli/gpucost.cjs").main();
