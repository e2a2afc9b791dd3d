"""Single sign-on with an organisation's own OpenID Connect identity provider.

allauth's ``openid_connect`` provider does the protocol; this package decides who may come
in. ``rules`` holds the decisions (whom a token matches, when it proves a second factor),
``provider`` tightens how the ID token is checked, ``adapter`` is allauth's
``SOCIALACCOUNT_ADAPTER`` (apps from ``IdentityProvider`` rows, every refusal audited and
shown in Dutch), ``stages`` lets a trusted provider's MFA stand for the portal's, ``views``
the login page's buttons and the offer to log out at the provider too. docs/sso.md says why
it is built this way."""
