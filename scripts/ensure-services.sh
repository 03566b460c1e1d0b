#!/usr/bin/env bash
# Starts the local PostgreSQL and RabbitMQ when they are installed but not running.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 5432; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! port_open 5672; then
  echo "RabbitMQ is not answering on 127.0.0.1:5672; starting it"
  rabbitmq-server -detached || true
  for _ in $(seq 1 30); do rabbitmqctl await_startup >/dev/null 2>&1 && break; sleep 2; done
fi
for port in 5432 5672; do
  for _ in $(seq 1 30); do port_open "$port" && break; sleep 1; done
  port_open "$port" || { echo "nothing answers on 127.0.0.1:$port; start PostgreSQL (5432) and RabbitMQ (5672)" >&2; exit 1; }
done
