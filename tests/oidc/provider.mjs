// A real OpenID provider for the staff single sign-on tests: `node provider.mjs <port>` on 127.0.0.1.
// One confidential client (bookme-staff / bookme-staff-secret), PKCE required, and oidc-provider's
// own sign-in form: the "login" typed there is the account id below (any password).
import Provider from "oidc-provider";

const port = Number(process.argv[2]);
const CALLBACK = "/login/sso/callback";
const issuer = `http://127.0.0.1:${port}`;

// Fixed people. Any other id signs in as itself: e-mail = id, verified, no roles.
const PEOPLE = {
  "unverified@bank.example": { email: "advisor@bank.example", email_verified: false, roles: [] },
  "boss@bank.example": { email: "boss@bank.example", email_verified: true, roles: ["bookme-admin"] },
  "noemail": { email_verified: true, roles: [] },
};

function claimsOf(id) {
  return PEOPLE[id] ?? { email: id, email_verified: true, roles: ["bookme-user"] };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "bookme-staff",
      client_secret: "bookme-staff-secret",
      redirect_uris: [`http://localhost${CALLBACK}`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], roles: ["roles"] },
  scopes: ["openid", "email", "roles"],
  features: { devInteractions: { enabled: true } },
  // Put the roles and e-mail in the ID token itself (the app reads only the ID token).
  conformIdTokenClaims: false,
  // The client is the bank's own: no consent screen, every asked scope is granted.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email roles");
    grant.addOIDCClaims(["email", "email_verified", "roles"]);
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, ...claimsOf(id) }; } };
  },
  cookies: { keys: ["bookme-test-provider-only"] },
  ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
});
// Each test app listens on its own loopback port: any loopback callback of BookMe is this client's.
const registered = provider.Client.prototype.redirectUriAllowed;
provider.Client.prototype.redirectUriAllowed = function allowed(value) {
  try {
    const url = new URL(value);
    const loopback = ["127.0.0.1", "localhost"].includes(url.hostname) && url.protocol === "http:";
    if (loopback && url.pathname === CALLBACK && !url.search && !url.hash) return true;
  } catch {
    return false;
  }
  return registered.call(this, value);
};
provider.on("server_error", (ctx, error) => console.error("server_error", error));

provider.listen(port, "127.0.0.1", () => console.log(`oidc provider on ${issuer}`));
