CREATE TABLE "draft_snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"draft_id" text NOT NULL,
	"kind" text NOT NULL,
	"label" text,
	"state" "bytea" NOT NULL,
	"content" jsonb NOT NULL,
	"digest" text NOT NULL,
	"editors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"restored_from" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "sync_client_users" (
	"doc_name" text NOT NULL,
	"client_id" bigint NOT NULL,
	"user_id" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_client_users_doc_name_client_id_user_id_pk" PRIMARY KEY("doc_name","client_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "draft_snapshots" ADD CONSTRAINT "draft_snapshots_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_snapshots" ADD CONSTRAINT "draft_snapshots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "draft_snapshots_draft_idx" ON "draft_snapshots" USING btree ("draft_id","created_at");