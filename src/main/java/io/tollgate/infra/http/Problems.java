package io.tollgate.infra.http;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problem types a resource method answers with besides the common ones, for the OpenAPI document only
 * ({@link io.tollgate.openapi.OpenApiDocumentFilter} turns them into {@code application/problem+json} responses grouped by status, with
 * status and title from {@link ProblemType}). The common ones are added to every operation by the filter and need
 * not be listed: {@code invalid-request}, {@code unauthenticated}, {@code forbidden}, {@code tenant-not-found},
 * {@code tenant-required}, {@code not-acceptable}, {@code payload-too-large}, {@code unsupported-media-type},
 * {@code internal}, {@code unavailable}, each where it applies. Nothing reads this at run time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Problems {
    ProblemType[] value();
}
