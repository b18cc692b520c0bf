'use strict';
// The Pigello Core API (Accounts) SDK for Node. The native addon does the work
// (rules, requests, retries, the sandbox); these modules give it Node's shape:
// classes, Promises, async iteration and error classes.

const native = require('./native.js');
const errors = require('./errors.js');
const { APIPromise } = require('./calls.js');
const { Page } = require('./page.js');
const { Resource, InvitableResource } = require('./resource.js');
const { Client } = require('./client.js');
const { Sandbox } = require('./sandbox.js');

module.exports = {
  Client,
  Sandbox,
  Page,
  APIPromise,
  Resource,
  InvitableResource,
  ...errors,
  version: native.version(),
};
delete /** @type {{ translate?: unknown }} */ (module.exports).translate;
