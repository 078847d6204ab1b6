# CandyPack host with one site, published in the SDK image and run in the ASP.NET runtime image.
#   docker build -t my-site --build-arg SITE=example-site .
#   docker run -p 8080:80 my-site
# SITE is a site folder inside the build context; the published site is served from /site.
ARG SITE=example-site

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SITE
WORKDIR /src
COPY . .
RUN bash scripts/publish.sh "${SITE}" /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out/host /app
# The site folder is writable by the app user: the embedded database and the runtime state live there.
COPY --from=build --chown=app:app /out/site /site
VOLUME ["/site/.candy"]
USER app
EXPOSE 80 443
# HTTPS: add "--https-port", "443" here, with server.https.certificate in the site's config.json.
ENTRYPOINT ["dotnet", "/app/CandyPack.Host.dll", "--no-build", "--urls", "http://0.0.0.0:80", "/site"]
