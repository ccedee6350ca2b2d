package dev.hotpath.ui;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.UnauthorizedResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Headers and checks applied to every request.
 *
 * <ul>
 *   <li>A Content-Security-Policy with no inline script or style: every name shown comes from an artifact and is
 *       inserted as text by the page scripts; the policy is the second line of defence.</li>
 *   <li>Token: when the UI is bound beyond loopback, every request carries the token (header
 *       {@code Authorization: Bearer T}, or the {@code hotpath_token} cookie set by visiting {@code /?token=T}).</li>
 *   <li>CSRF: a mutating request must echo the {@code hotpath_csrf} cookie in the {@code X-CSRF-Token} header
 *       (double submit; a cross-site page can neither read the cookie nor send the header without a CORS preflight
 *       that this server never grants), and a present {@code Origin} must be this server.</li>
 * </ul>
 * Thread-safe: immutable after construction.
 */
final class SecurityFilter {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String CSRF_COOKIE = "hotpath_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String TOKEN_COOKIE = "hotpath_token";

    private final String token;
    private final SecureRandom random = new SecureRandom();

    SecurityFilter(String token) {
        this.token = token;
    }

    void before(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        if (token != null) {
            checkToken(ctx);
        }
        if (ctx.cookie(CSRF_COOKIE) == null) {
            byte[] b = new byte[24];
            random.nextBytes(b);
            // Not HttpOnly: the page's own script reads it to echo it in the header.
            ctx.res().addHeader("Set-Cookie", CSRF_COOKIE + "=" + HexFormat.of().formatHex(b) + "; Path=/; SameSite=Strict");
        }
        HandlerType m = ctx.method();
        if (m == HandlerType.POST || m == HandlerType.PUT || m == HandlerType.DELETE || m == HandlerType.PATCH) {
            checkCsrf(ctx);
        }
    }

    private void checkToken(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.startsWith("Bearer ") && same(auth.substring(7).trim(), token)) {
            return;
        }
        if (same(ctx.cookie(TOKEN_COOKIE), token)) {
            return;
        }
        String q = ctx.queryParam("token");
        if (same(q, token)) {
            ctx.res().addHeader("Set-Cookie", TOKEN_COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
            return;
        }
        throw new UnauthorizedResponse("a token is required: open the URL printed by `hotpath ui` or send Authorization: Bearer <token>");
    }

    private void checkCsrf(Context ctx) {
        String cookie = ctx.cookie(CSRF_COOKIE);
        String header = ctx.header(CSRF_HEADER);
        if (cookie == null || header == null || !same(cookie, header)) {
            throw new ForbiddenResponse("missing or wrong " + CSRF_HEADER + " header");
        }
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null")) {
            String host = ctx.header("Host");
            String originHost;
            try {
                originHost = URI.create(origin).getRawAuthority();
            } catch (IllegalArgumentException e) {
                originHost = null;
            }
            if (host == null || !host.equalsIgnoreCase(originHost)) {
                throw new ForbiddenResponse("cross-origin request refused");
            }
        }
    }

    private static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
