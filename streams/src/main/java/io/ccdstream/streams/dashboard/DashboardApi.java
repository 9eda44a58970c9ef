package io.ccdstream.streams.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.schemas.Review;
import io.ccdstream.topics.http.SmallHttpServer;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * The dashboard's routes: the static page under {@value #PAGE}, {@code /} redirecting there, and the JSON
 * it polls under {@code /api/}; the review page's answers are the only POSTs ({@code /api/reviews},
 * {@code /api/review/skip}, JSON bodies only, so that a cross-site form cannot post one). Without a
 * dashboard state they answer 404, and any other method 405.
 */
public final class DashboardApi {

    /** Where the page is served. */
    public static final String PAGE = "/ui/";

    /** Images {@code /api/images} lists when the request gives no {@code limit}. */
    public static final int DEFAULT_IMAGES = 12;

    private static final String RESOURCES = "/io/ccdstream/streams/dashboard/ui";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    private DashboardApi() {}

    /** Adds the dashboard's routes to {@code config}, answering from {@code state} (null: no dashboard). */
    public static void addTo(JavalinConfig config, DashboardState state) {
        if (state != null) {
            config.staticFiles.add(files -> {
                files.hostedPath = PAGE.substring(0, PAGE.length() - 1);
                files.directory = RESOURCES;
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff");
            });
        }
        get(config, "/", ctx -> {
            if (state == null) {
                error(ctx, 404, "no dashboard in this process (ccd run --ui serves one)");
            } else {
                ctx.redirect(PAGE);
            }
        });
        Map<String, Handler> api = Map.of(
                "/api/summary", ctx -> json(ctx, state.summary()),
                "/api/series", ctx -> json(ctx, state.series()),
                "/api/dead-letters", ctx -> json(ctx, state.deadLetters()),
                "/api/bias", ctx -> json(ctx, state.biasHistory()),
                "/api/checkpoints", ctx -> json(ctx, state.checkpoints()),
                "/api/images", ctx -> images(ctx, state),
                "/api/images/{imageId}",
                        ctx -> image(ctx, state.image(ctx.pathParam("imageId")), ctx.pathParam("imageId")),
                "/api/images/{imageId}/image", ctx -> bytes(ctx, state, ctx.pathParam("imageId")));
        api.forEach((path, handler) -> get(config, path, ctx -> {
            if (state == null) {
                error(ctx, 404, "no dashboard in this process (ccd run --ui serves one)");
            } else {
                handler.handle(ctx);
            }
        }));
        Map<String, Handler> review = Map.of(
                "/api/review/next", ctx -> next(ctx, state),
                "/api/review/stats", ctx -> json(ctx, state.reviewStats()),
                "/api/review/{imageId}/image",
                        ctx -> encoded(ctx, state.reviewImage(ctx.pathParam("imageId")), "it is not queued"));
        review.forEach((path, handler) -> get(config, path, ctx -> {
            if (state == null) {
                error(ctx, 404, "no dashboard in this process (ccd run --ui serves one)");
            } else {
                handler.handle(ctx);
            }
        }));
        post(config, "/api/reviews", state, DashboardApi::submit);
        post(config, "/api/review/skip", state, DashboardApi::skip);
    }

    private static void post(JavalinConfig config, String path, DashboardState state, ReviewHandler handler) {
        SmallHttpServer.routeEveryMethod(config, path, ctx -> {
            if (!HandlerType.POST.equals(ctx.method())) {
                error(ctx, 405, "only POST is supported");
            } else if (state == null) {
                error(ctx, 404, "no dashboard in this process (ccd run --ui serves one)");
            } else if (ctx.contentType() == null || !ctx.contentType().startsWith("application/json")) {
                error(ctx, 415, "send the body as application/json");
            } else {
                JsonNode body;
                try {
                    body = JSON.readTree(ctx.bodyAsBytes());
                } catch (IOException e) {
                    error(ctx, 400, "the body is not JSON: " + e.getMessage());
                    return;
                }
                if (body == null || !body.isObject()) {
                    error(ctx, 400, "the body must be a JSON object");
                    return;
                }
                handler.handle(ctx, state, body);
            }
        });
    }

    @FunctionalInterface
    private interface ReviewHandler {
        void handle(Context ctx, DashboardState state, JsonNode body);
    }

    private static void next(Context ctx, DashboardState state) {
        Optional<ReviewQueue.ReviewView> next = state.nextReview();
        if (next.isEmpty()) {
            error(ctx, 404, "no image waits for a review");
        } else {
            json(ctx, next.get());
        }
    }

    /**
     * {@code {"imageId": "...", "reviewer": "...", "verdicts": {"cat": "PRESENT", "dog": "ABSENT"}}}: 202
     * once the review is on {@code ccd.reviews}; 400 for a bad answer, 404 for an image the dashboard does
     * not know, 503 when it cannot be written.
     */
    private static void submit(Context ctx, DashboardState state, JsonNode body) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        JsonNode given = body.path("verdicts");
        if (!given.isObject()) {
            error(ctx, 400, "verdicts must be an object of class name to PRESENT, ABSENT or UNSURE");
            return;
        }
        given.fields()
                .forEachRemaining(e -> verdicts.put(e.getKey(), e.getValue().asText()));
        Review review;
        try {
            review = state.review(text(body, "imageId"), text(body, "reviewer"), verdicts);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        } catch (NoSuchElementException e) {
            error(ctx, 404, e.getMessage());
            return;
        }
        try {
            state.submit(review);
        } catch (IllegalStateException e) {
            error(ctx, 503, e.getMessage());
            return;
        }
        ctx.status(202).contentType("application/json");
        ctx.result(("{\"accepted\":true,\"imageId\":" + quoted(review.getImageId()) + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void skip(Context ctx, DashboardState state, JsonNode body) {
        String imageId = text(body, "imageId");
        if (imageId == null || !state.skipReview(imageId)) {
            error(ctx, 404, "image " + imageId + " is not queued for review");
            return;
        }
        json(ctx, Map.of("skipped", imageId));
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String quoted(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void get(JavalinConfig config, String path, Handler handler) {
        SmallHttpServer.routeEveryMethod(config, path, ctx -> {
            if (HandlerType.GET.equals(ctx.method())) {
                handler.handle(ctx);
            } else {
                error(ctx, 405, "only GET is supported");
            }
        });
    }

    private static void images(Context ctx, DashboardState state) {
        String limit = ctx.queryParam("limit");
        int n;
        try {
            n = limit == null ? DEFAULT_IMAGES : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > DashboardState.RECENT_IMAGES) {
            error(ctx, 400, "limit must be a number from 1 to " + DashboardState.RECENT_IMAGES);
            return;
        }
        json(ctx, state.images(n));
    }

    private static void image(Context ctx, Optional<DashboardState.ImageView> view, String imageId) {
        if (view.isPresent()) {
            json(ctx, view.get());
        } else {
            error(ctx, 404, "image " + imageId + " is not among the " + DashboardState.RECENT_IMAGES + " latest");
        }
    }

    private static void bytes(Context ctx, DashboardState state, String imageId) {
        encoded(
                ctx,
                state.imageBytes(imageId),
                "only the " + DashboardState.IMAGE_BYTES_KEPT
                        + " latest inline images to arrive or be labelled are kept");
    }

    private static void encoded(Context ctx, Optional<DashboardState.EncodedImage> image, String why) {
        if (image.isEmpty()) {
            error(ctx, 404, "no bytes of this image: " + why);
            return;
        }
        String type = image.get().contentType();
        ctx.status(200);
        ctx.contentType(type != null && IMAGE_TYPES.contains(type) ? type : "application/octet-stream");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "max-age=3600");
        ctx.result(image.get().data());
    }

    private static void json(Context ctx, Object value) {
        try {
            ctx.status(200).contentType("application/json");
            ctx.header("Cache-Control", "no-store");
            ctx.result(JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json");
        try {
            ctx.result(JSON.writeValueAsBytes(Map.of("error", message)));
        } catch (JsonProcessingException e) {
            ctx.result(("{\"error\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }
}
