//! Fixture tests for [`super::error_pages`]: tracebacks and broad
//! exceptions' texts a view answers with (Flask, Django, FastAPI), each
//! with the answer that must stay silent (a generic message, a narrow
//! handler's text, a helper's page, a function that is no view).

use expect_test::expect;

use super::tests::check;

#[test]
fn a_flask_view_answering_with_the_traceback_or_the_exception() {
    check(
        "import traceback\nfrom flask import Flask, jsonify\napp = Flask(__name__)\n\
         @app.route('/a')\ndef a():\n    try:\n        work()\n    except Exception:\n        return traceback.format_exc(), 500\n\
         @app.route('/b')\ndef b():\n    try:\n        work()\n    except Exception as e:\n        return jsonify({'error': str(e)}), 500\n\
         @app.route('/c')\ndef c():\n    try:\n        work()\n    except (KeyError, BaseException) as err:\n        return f'failed: {err}'\n\
         @app.route('/d')\ndef d():\n    try:\n        work()\n    except:\n        return 'failed: ' + repr(sys.exc_info())\n",
        &["LOOM663"],
        expect![[r#"
            9:16 LOOM663 Warning The answer shows the client the traceback (`traceback.format_exc()`), which tells an attacker about the program's files, queries and hosts; log it and answer with a generic message [confidence High]
            15:16 LOOM663 Warning The answer shows the client the text of the exception `e`, which tells an attacker about the program's files, queries and hosts; log it and answer with a generic message [confidence Medium]
            21:16 LOOM663 Warning The answer shows the client the text of the exception `err`, which tells an attacker about the program's files, queries and hosts; log it and answer with a generic message [confidence Medium]
            27:16 LOOM663 Warning The answer shows the client the traceback (`sys.exc_info()`), which tells an attacker about the program's files, queries and hosts; log it and answer with a generic message [confidence High]
        "#]],
    );
}

#[test]
fn generic_answers_narrow_handlers_helpers_and_other_functions_stay_silent() {
    check(
        "import traceback\nfrom flask import Flask, jsonify\napp = Flask(__name__)\n\
         @app.route('/a')\ndef a():\n    try:\n        work()\n    except Exception:\n        app.logger.exception('failed')\n        return jsonify({'error': 'internal error'}), 500\n\
         @app.route('/b')\ndef b():\n    try:\n        work()\n    except ValueError as e:\n        return jsonify({'error': str(e)}), 400\n\
         @app.route('/c')\ndef c():\n    try:\n        work()\n    except Exception as e:\n        return render_error(e)\n\
         def helper():\n    try:\n        work()\n    except Exception:\n        return traceback.format_exc()\n\
         @app.route('/d')\ndef d():\n    e = 'ok'\n    return str(e)\n",
        &["LOOM663"],
        expect![[r#""#]],
    );
}

#[test]
fn django_and_fastapi_views() {
    check(
        "import traceback\nfrom django.http import HttpResponseServerError\n\
         def view(request):\n    try:\n        work()\n    except Exception as exc:\n        return HttpResponseServerError(traceback.format_exc())\n\
         def not_a_view(path):\n    try:\n        work()\n    except Exception as exc:\n        return str(exc)\n\
         class Export(View):\n    def get(self, request):\n        try:\n            work()\n        except Exception as exc:\n            return HttpResponseServerError(str(exc))\n\n    \
         def cleanse(self, request, value):\n        try:\n            return value.strip()\n        except Exception as e:\n            return repr(e)\n",
        &["LOOM663"],
        expect![[r#"
            7:16 LOOM663 Warning The answer shows the client the traceback (`traceback.format_exc()`), which tells an attacker about the program's files, queries and hosts; log it and answer with a generic message [confidence High]
            18:20 LOOM663 Warning The answer shows the client the text of the exception `exc`, which tells an attacker about the program's files, queries and hosts; log it and answer with a generic message [confidence Medium]
        "#]],
    );
    check(
        "from fastapi import FastAPI, HTTPException\napp = FastAPI()\n\
         @app.get('/items')\ndef items():\n    try:\n        return work()\n    except Exception as e:\n        raise HTTPException(status_code=500, detail=str(e))\n\
         @app.get('/other')\ndef other():\n    try:\n        return work()\n    except Exception as e:\n        raise HTTPException(status_code=500, detail='failed') from e\n",
        &["LOOM663"],
        expect![[r#"
            8:53 LOOM663 Warning The answer shows the client the text of the exception `e`, which tells an attacker about the program's files, queries and hosts; log it and answer with a generic message [confidence Medium]
        "#]],
    );
}

#[test]
fn error_handlers_of_any_exception_answer_with_their_parameter() {
    // Twins: a handler of 404, one of 500 (given the generic
    // `InternalServerError`, whose text is the page's), a generic answer.
    check(
        "from flask import Flask, jsonify\nfrom fastapi import FastAPI\nfrom fastapi.responses import JSONResponse\napp = Flask(__name__)\napi = FastAPI()\n\
         @app.errorhandler(Exception)\ndef failed(e):\n    return jsonify(error=str(e)), 500\n\
         @app.errorhandler(500)\ndef server_error(err):\n    return f'failed: {err}', 500\n\
         @api.exception_handler(Exception)\nasync def api_failed(request, exc):\n    return JSONResponse({'detail': repr(exc)}, status_code=500)\n\
         @app.errorhandler(404)\ndef missing(e):\n    return str(e), 404\n\
         @app.errorhandler(Exception)\ndef generic(e):\n    return jsonify(error='internal error'), 500\n",
        &["LOOM663"],
        expect![[r#"
            8:12 LOOM663 Warning The answer shows the client the text of the exception `e`, which tells an attacker about the program's files, queries and hosts; log it and answer with a generic message [confidence Medium]
            14:12 LOOM663 Warning The answer shows the client the text of the exception `exc`, which tells an attacker about the program's files, queries and hosts; log it and answer with a generic message [confidence Medium]
        "#]],
    );
}
