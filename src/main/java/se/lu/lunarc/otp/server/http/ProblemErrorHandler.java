package se.lu.lunarc.otp.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import se.lu.lunarc.otp.api.Problem;

import java.nio.ByteBuffer;

/**
 * Jetty's own error answers (a request it cannot parse, headers or an address too long, a bad path) as
 * problem+json like every other answer, instead of its HTML page. Set on the server and on the servlet context.
 */
final class ProblemErrorHandler extends ErrorHandler {
    private final ObjectMapper json;
    private final boolean tls;

    ProblemErrorHandler(ObjectMapper json, boolean tls) {
        this.json = json;
        this.tls = tls;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object status = request.getAttribute(ERROR_STATUS);
        Problem p = HttpProblems.forStatus(status instanceof Integer code ? code : response.getStatus());
        response.setStatus(p.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, EnrollmentServer.PROBLEM_JSON);
        SecurityHeaders.apply(response.getHeaders()::put, tls);
        response.write(true, ByteBuffer.wrap(bytes(p)), callback);
        return true;
    }

    /** Requests Jetty could not even parse: the answer is written before any handler runs. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        Problem p = HttpProblems.forStatus(status);
        fields.put(HttpHeader.CONTENT_TYPE, EnrollmentServer.PROBLEM_JSON);
        SecurityHeaders.apply(fields::put, tls);
        return ByteBuffer.wrap(bytes(p));
    }

    private byte[] bytes(Problem p) {
        try {
            return json.writeValueAsBytes(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
