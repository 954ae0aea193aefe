"""A real OpenID provider (the npm package `oidc-provider`) for the staff single sign-on tests."""
