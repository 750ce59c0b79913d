# An image for sweeps on Kubernetes (`k3sim sweep --emit-job`): k3sim on the PATH, running as
# a non-root user. Not built in CI (no registry access there); see README "Sweeps on Kubernetes".
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev libcurl4-openssl-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
RUN swift build -c release --static-swift-stdlib --product k3sim

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 libcurl4 ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/.build/release/k3sim /usr/local/bin/k3sim
# The price catalogs are resources that Bundle.module finds next to the executable.
COPY --from=build /src/.build/release/k3sim_Catalog.resources /usr/local/bin/k3sim_Catalog.resources
USER 65532:65532
ENTRYPOINT ["k3sim"]
