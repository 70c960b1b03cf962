CREATE TABLE "audit_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text,
	"on_behalf_of_id" text,
	"action" text NOT NULL,
	"body_id" text,
	"party_id" text,
	"subject_type" text,
	"subject_id" text,
	"details" jsonb,
	"ip" text
);
--> statement-breakpoint
CREATE INDEX "audit_body_idx" ON "audit_events" USING btree ("body_id","seq");--> statement-breakpoint
CREATE INDEX "audit_subject_idx" ON "audit_events" USING btree ("subject_type","subject_id");