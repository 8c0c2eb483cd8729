ALTER TABLE "notification_channels" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "notification_channels" ADD COLUMN "failing_since" timestamp with time zone;