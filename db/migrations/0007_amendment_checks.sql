CREATE TABLE "amendment_checks" (
	"draft_id" text NOT NULL,
	"amendment_id" text NOT NULL,
	"case_id" text NOT NULL,
	"from_version" integer NOT NULL,
	"to_version" integer NOT NULL,
	"status" text NOT NULL,
	"result" jsonb NOT NULL,
	"applied" boolean DEFAULT false NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	CONSTRAINT "amendment_checks_draft_id_amendment_id_pk" PRIMARY KEY("draft_id","amendment_id")
);
--> statement-breakpoint
ALTER TABLE "amendment_checks" ADD CONSTRAINT "amendment_checks_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendment_checks" ADD CONSTRAINT "amendment_checks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendment_checks" ADD CONSTRAINT "amendment_checks_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "amendment_checks_case_idx" ON "amendment_checks" USING btree ("case_id");