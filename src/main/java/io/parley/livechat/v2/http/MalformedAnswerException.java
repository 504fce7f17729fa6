package io.parley.livechat.v2.http;

/** An answer that is not JSON or not of the documented shape; its message says which part. */
final class MalformedAnswerException extends Exception {

    MalformedAnswerException(String message) {
        super(message, null, false, false);
    }
}
