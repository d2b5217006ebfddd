//! Redirect checks that a spelling of another host passes are no guard
//! (`https:evil.com`, `/\evil.com`, `//evil.com`, `\\evil.com`: browsers
//! send each to `evil.com`; `urlparse` finds a host in `//evil.com` only),
//! each with the sound check that must stay silent beside it.

use expect_test::expect;

use super::tests::check;

const VIEW: &str = "from urllib.parse import urlparse\nfrom flask import request, abort, redirect\n\n";

#[test]
fn a_url_without_a_host_may_still_have_a_scheme() {
    // `https:evil.com`: a scheme, no netloc.
    check(
        &format!(
            "{VIEW}def bypassed():\n    t = request.args['next']\n    if urlparse(t).netloc:\n        abort(400)\n    return redirect(t)\n\n\
             def sound():\n    t = request.args['next']\n    parts = urlparse(t)\n    if parts.netloc or parts.scheme or '\\\\' in t:\n        abort(400)\n    return redirect(t)\n"
        ),
        expect![[r#"
            8:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 5:9 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_path_of_the_site_may_start_with_a_slash_and_a_backslash() {
    // `/\evil.com`: starts with `/`, not with `//`, and has no netloc.
    check(
        &format!(
            "{VIEW}def path_bypassed():\n    t = request.args['next']\n    if not t.startswith('/') or t.startswith('//'):\n        t = '/'\n    return redirect(t)\n\n\
             def path_sound():\n    t = request.args['next']\n    if not t.startswith('/') or t.startswith(('//', '/\\\\')):\n        t = '/'\n    return redirect(t)\n\n\
             def host_bypassed():\n    t = request.args['next']\n    if urlparse(t).netloc or urlparse(t).scheme:\n        abort(400)\n    return redirect(t)\n\n\
             def host_sound():\n    t = request.args['next']\n    if urlparse(t).netloc or urlparse(t).scheme or '\\\\' in t:\n        abort(400)\n    return redirect(t)\n"
        ),
        expect![[r#"
            8:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 5:9 `request.args` enters here
            20:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 17:9 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_target_starting_with_a_slash_or_without_a_scheme_may_be_another_host() {
    // `//evil.com`: starts with `/`, has no scheme and no backslash.
    check(
        &format!(
            "{VIEW}def slash_only():\n    t = request.args['next']\n    if not t.startswith('/'):\n        abort(400)\n    return redirect(t)\n\n\
             def scheme_only():\n    t = request.args['next']\n    if urlparse(t).scheme:\n        abort(400)\n    return redirect(t)\n\n\
             def backslash_only():\n    t = request.args['next']\n    if '\\\\' in t:\n        abort(400)\n    return redirect(t)\n\n\
             def sound():\n    t = request.args['next']\n    if t.startswith('/') and not t.startswith('//') and '\\\\' not in t:\n        return redirect(t)\n    return redirect('/')\n"
        ),
        expect![[r#"
            8:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 5:9 `request.args` enters here
            14:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 11:9 `request.args` enters here
            20:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 17:9 `request.args` enters here
        "#]],
    );
}

#[test]
fn an_empty_host_allowed_lets_two_backslashes_through() {
    // `\\evil.com`: no netloc, no scheme, no leading `/`.
    check(
        &format!(
            "{VIEW}def empty_listed():\n    t = request.args['next']\n    if urlparse(t).netloc not in ('', 'example.com'):\n        abort(400)\n    return redirect(t)\n\n\
             def empty_equal():\n    t = request.args['next']\n    if urlparse(t).hostname is None:\n        return redirect(t)\n    return redirect('/')\n\n\
             def listed():\n    t = request.args['next']\n    if urlparse(t).netloc not in ('example.com',):\n        abort(400)\n    return redirect(t)\n\n\
             def no_host_nor_scheme_nor_backslash():\n    t = request.args['next']\n    parts = urlparse(t)\n    if parts.hostname is None and parts.scheme == '' and '\\\\' not in t:\n        return redirect(t)\n    return redirect('/')\n"
        ),
        expect![[r#"
            8:12 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 5:9 `request.args` enters here
            13:16 LOOM627 Warning Redirect to a URL from `request.args` (`redirect`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 11:9 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_location_header_set_from_the_request_is_a_redirect() {
    check(
        &format!(
            "{VIEW}def flask_view(resp):\n    resp.headers['Location'] = request.args['next']\n    resp.headers['location'] = '/profile/' + request.args['name']\n    \
             resp.headers['X-Next'] = request.args['next']\n    page = {{}}\n    page['Location'] = request.args['next']\n    return resp\n"
        ),
        expect![[r#"
            5:5 LOOM627 Warning Redirect to a URL from `request.args` (`Location`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 5:32 `request.args` enters here
        "#]],
    );
    check(
        "from django.http import HttpResponse\nfrom django.utils.http import url_has_allowed_host_and_scheme\n\n\
         def view(request):\n    response = HttpResponse(status=302)\n    response['Location'] = request.GET['next']\n    return response\n\n\
         def checked(request):\n    target = request.GET['next']\n    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):\n        target = '/'\n    \
         response = HttpResponse(status=302)\n    response['Location'] = target\n    return response\n",
        expect![[r#"
            6:5 LOOM627 Warning Redirect to a URL from `request.GET` (`Location`) may send users to another site; check it with `url_has_allowed_host_and_scheme` [confidence High]
              entered 6:28 `request.GET` enters here
        "#]],
    );
}
