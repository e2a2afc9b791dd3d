// A real OpenID Connect provider on loopback for the SSO tests: the certified npm
// `oidc-provider`, with its built-in development login form (any password; the login name is
// the account's `sub`). Started by tests/oidc/server.py, which passes one JSON file:
//
//   { "port": 5xxxx,
//     "clients": [ { client_id, client_secret, redirect_uris, post_logout_redirect_uris } ],
//     "accounts": { "<sub>": { "claims": { email, email_verified, name },
//                              "amr": ["pwd", "mfa"], "acr": "...",
//                              "forge_signature": false } } }
//
// Two things are added for the tests, and nothing else is changed:
// - the login form has no way to say how the user authenticated, so the account's `amr` and
//   `acr` from the JSON file are put into the login result (they end up in the ID token as an
//   identity provider that did MFA would put them there);
// - an account with `forge_signature` gets an ID token re-signed with a key the provider does
//   not publish (same `kid`): the relying party must refuse it.
// Prints "ready <issuer>" on stdout once it listens.

import { readFileSync } from "node:fs";

import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const issuer = `http://localhost:${config.port}`;
const accounts = config.accounts;

const signing = await generateKeyPair("RS256", { extractable: true });
const rogue = await generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await exportJWK(signing.privateKey)), kid: "loopback-1", alg: "RS256", use: "sig" };

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
    ...client,
  })),
  jwks: { keys: [jwk] },
  claims: {
    auth_time: null,
    iss: null,
    sid: null,
    // How the user logged in always goes into the ID token, as Entra ID puts amr there.
    openid: ["sub", "acr", "amr"],
    email: ["email", "email_verified"],
    profile: ["name"],
  },
  // Claims of the requested scopes also in the ID token (as Entra ID does with optional claims).
  conformIdTokenClaims: false,
  cookies: { keys: ["loopback-test-cookie-key-0123456789"] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  // A first-party client: no consent screen.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  findAccount: async (ctx, sub) => {
    const account = accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
});

const finish = provider.interactionFinished.bind(provider);
provider.interactionFinished = (req, res, result, options) => {
  const account = result.login && accounts[result.login.accountId];
  if (account) {
    if (account.amr) result.login.amr = account.amr;
    if (account.acr) result.login.acr = account.acr;
  }
  return finish(req, res, result, options);
};

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== "/token" || !ctx.body || !ctx.body.id_token) return;
  const payload = decodeJwt(ctx.body.id_token);
  if (!accounts[payload.sub] || !accounts[payload.sub].forge_signature) return;
  const header = decodeProtectedHeader(ctx.body.id_token);
  ctx.body.id_token = await new SignJWT(payload).setProtectedHeader(header).sign(rogue.privateKey);
});

provider.listen(config.port, "127.0.0.1", () => {
  process.stdout.write(`ready ${issuer}\n`);
});
