-- A worker's own view of RabbitMQ, written with its heartbeat: since when its connection
-- has been down (or not yet made), null while it is connected. The console's status banner
-- tells "the worker is reconnecting" from it; a web replica's own probe cannot tell that.
ALTER TABLE worker_heartbeats ADD COLUMN broker_down_since TIMESTAMPTZ(3);
