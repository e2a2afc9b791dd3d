# Stand-in for the official node image, on Debian's Node.js 18 and npm (build_bases.sh).
ARG BASE
FROM ${BASE}
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
CMD ["node"]
