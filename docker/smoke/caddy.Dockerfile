# Stand-in for the official caddy image, on Debian's caddy (build_bases.sh): the same folders
# for the configuration and the data (certificates, the internal CA) and the same command.
ARG BASE
FROM ${BASE}
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data LANG=C.UTF-8
WORKDIR /srv
EXPOSE 80 443
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
