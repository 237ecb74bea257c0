#!/usr/bin/env node
// Entry point of the `shardis-server` command: runs the built server.
import '../dist/src/main.js';
