CREATE TABLE "draft_signatories" (
	"draft_id" text NOT NULL,
	"user_id" text NOT NULL,
	"party_id" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "draft_signatories_draft_id_user_id_pk" PRIMARY KEY("draft_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "draft_signatories" ADD CONSTRAINT "draft_signatories_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_signatories" ADD CONSTRAINT "draft_signatories_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_signatories" ADD CONSTRAINT "draft_signatories_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;