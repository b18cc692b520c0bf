'use strict';
// What the Node tests share: the resources, and a fresh sandbox per test.

const pigello = require('pigello');

const RESOURCES = [
  'tenants',
  'subtenants',
  'organizationUsers',
  'organizationUserWorkEngagements',
  'organizationUserSegments',
  'integrationUserAgents',
  'protectedIdentities',
  'workEngagements',
  'subtenantContractConnections',
  'subtenantTenantConnections',
];

// Fields a stored row holds that a create does not take back (read-only,
// server-computed or unique), so a copy of a row can be created again.
const NOT_COPIED = new Set([
  'id', 'created_at', 'status', 'username', 'mfa_has_totp', 'mfa_has_hotp', 'is_company',
  'hotp_invite_sendout_time', 'last_login', 'customer_columns', 'pending_monitor_approval_amount',
  'full_name', 'tags', 'email_verified', 'latest_active_date', 'earliest_active_date',
  'communication_name', 'custom_application_domain', 'phone_number_verified',
  'subscribes_to_events', 'requires_sole_category_ownership', 'allowed_access',
  'allow_token_generation_for_tenants', 'allow_token_generation_for_sub_tenants',
  'require_personal_information_access', 'has_sub_tenant_http_invokable_method',
  'has_tenant_http_invokable_method', 'registered_ip_addresses',
]);

/** The fields of a row a create takes back. */
function copyOf(row) {
  return Object.fromEntries(Object.entries(row).filter(([key]) => !NOT_COPIED.has(key)));
}

/** Runs `body(sandbox, client)` against a fresh sandbox, stopped afterwards. */
async function withSandbox(options, body) {
  const sb = await pigello.Sandbox.start({ seed: 1, tenants: 30, ...options });
  try {
    return await body(sb, sb.client());
  } finally {
    await sb.stop();
  }
}

module.exports = { RESOURCES, copyOf, withSandbox };
