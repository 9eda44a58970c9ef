# Image of the ccd command, used by docker-compose.yml for every project service.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -ntp -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/cli/target/ccd.jar /app/ccd.jar
# libtorch for the build's platform, on ccd.jar's manifest Class-Path
COPY --from=build /src/cli/target/lib /app/lib
ENV CCD_JAVA_OPTS="-Xmx3g"
ENTRYPOINT ["sh", "-c", "exec java $CCD_JAVA_OPTS -jar /app/ccd.jar \"$@\"", "ccd"]
