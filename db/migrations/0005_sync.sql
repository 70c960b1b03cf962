CREATE TABLE "sync_docs" (
	"name" text PRIMARY KEY NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_projections" (
	"name" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"content" jsonb NOT NULL,
	"text" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_secrets" (
	"id" text PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_snapshots" (
	"name" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_updates" (
	"name" text NOT NULL,
	"seq" bigint NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_updates_name_seq_pk" PRIMARY KEY("name","seq")
);
--> statement-breakpoint
CREATE INDEX "sync_projections_updated_idx" ON "sync_projections" USING btree ("updated_at");