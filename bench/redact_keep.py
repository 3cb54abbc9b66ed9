"""Dev-only: a keep corpus, text with no identifier at all, to find the scrubber's false positives.

    python -m bench.redact_keep            # false replacements per rule, then each one
    python -m bench.redact_keep --quiet    # counts only

Two parts: requests written for this file in practitioners' styles (case-consultation prose,
lower-case chat, SMS, franglais, case-file headers with roles instead of names; EN and FR), and the
bot's own prose (prompts/*.toml, bot/locales/*.toml, the domain reference if present). Nothing in
it names a person, place or organisation that identifies anyone, so everything the scrubber
replaces here is a false positive. Written without reading bench/data/indep/.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

from domain.redact import scrub

ROOT = Path(__file__).resolve().parent.parent

WRITTEN_EN = """\
the pain will pass, she keeps telling herself that
her mood rose after the meds were adjusted
call 911 if he shows up again, that's the plan we made
Will she be safe if she goes back for her things?
Mark the court date in the file and tell the worker.
Grace period on the rent ends next week.
Hope is all she has right now, honestly.
Rose to the occasion at the meeting, the mom did really well.
Sue for custody is what his lawyer keeps threatening.
Bill C-75 changed how bail works for IPV cases.
the kids are 4 and 7, the older one is in grade 2
mom is 34, dad is 38, they separated in the spring
he has access every second weekend, supervised
she said he choked her twice last month
strangulation is a huge red flag for us
is there a way to get the no-contact order extended?
the worker from child protection wants a safety plan by friday
any tips for talking to a 6 year old about what they saw?
she's scared to call the police because of her status
her status is precarious, she's on a spousal sponsorship
he controls all the money, she has no bank card
coercive control isn't a crime here yet, right?
the baby is 8 months, teething, mom exhausted
dad drinks most nights, mom uses pills to sleep
we're worried about the custody exchange at the mall
can someone from the men's program weigh in?
i've been doing this 12 yrs and this one scares me
ok so update: she went back to him
idk what else to try tbh
she cancelled again, third time this month
he texted her 40 times yesterday
the teen is refusing to go to his dad's
the youngest wets the bed since the separation
she wants to leave but has nowhere to go
shelter was full so she's couch surfing
we got her on the waitlist for second stage housing
legal aid said they can't take her till next month
he broke her phone so she uses mine to call
her sister lets her stay a few nights at a time
the kids' school called about bruises
the older girl is parentified, she does everything
mom has a history of depression, on meds now
dad was in the army, possible PTSD
he has guns at home, hunting rifles
the firearms were supposedly removed but who knows
the risk assessment came back high
we did the danger assessment together last week
he's on probation till the end of the year
breach of conditions, he was at the house sunday
the crown wants her to testify
she doesn't want to testify, she's terrified
victim services will do court prep with her
her mom is supportive but lives far away
grandma takes the kids after school
the aunt is also in a violent relationship
i feel like i'm failing her
supervision with my manager helped a bit
secondary trauma is real, i'm tired
anyone else feel like the system is stacked against moms?
thx everyone for the replies yesterday, super helpful
quick q: do we have to report if the kids weren't there?
duty to report applies if a child is exposed, that's my understanding
in our agency we report when there's exposure
the family court judge ordered a parenting assessment
the assessor sided with dad, mom is devastated
parental alienation keeps coming up in court
his lawyer is arguing she's unstable
she has a mental health diagnosis and they're using it against her
the psychiatrist says she's fit to parent
addiction services has a long wait
detox has a bed on tuesday maybe
he says he'll go to treatment if she comes back
classic cycle, honeymoon phase right now
the apology flowers came yesterday lol
he's sweet when the in-laws visit
the mother-in-law blames her for everything
cultural pressure to stay married is huge for her
she worries about the community finding out
interpreter services were booked but didn't show
she speaks some english, better in her own language
the kids translate for her which isn't ok
newcomer services helped with the forms
the worker at the settlement agency is great
her work permit expires soon
open work permit for victims of family violence could help
she's a permanent resident now so that's one less fear
immigration lawyer says the sponsorship can't be pulled for that
the elder in the community offered to help
sharing circle on thursdays at the friendship centre
she wants a traditional healing approach
we talked about smudging and ceremony
the kids are in care right now, kinship placement
reunification plan has 6 steps
she completed the parenting course
the access visits go ok mostly
he no-showed the last two visits
the kids cry after visits
play therapy started last week
the school counsellor is on board
teacher noticed she's withdrawn
daycare staff saw him at the fence
we asked daycare not to release the kids to him
there's no order so they can't refuse him
emergency protection order could be an option
peace bond was suggested by police
the officer was really good with her
the first officer minimized it, second one was better
police took a statement but no charges
charges were laid for assault and uttering threats
he was released on an undertaking
the bail conditions say no contact
he contacts her through the kids
he uses the kids' tablets to message her
he tracks her phone, we think
she found an airtag in the car
tech safety check is booked
we reset all her passwords together
new phone, new number, new email
she's afraid he'll find the new place
the landlord is understanding
she's behind on rent two months
income assistance said she's eligible
child benefit went to his account
we're trying to get the benefit redirected
the bank was helpful actually
she opened her own account
financial abuse is the hardest to prove
he took out loans in her name
credit check showed a ton of debt
she works part time at a grocery store
she's a nurse, works nights
he's a contractor, self-employed
they own the house together
the house is in his name only
she wants to keep the dog
the pets are a big reason she stays
pet foster program might take the cat
her health is suffering, headaches and no sleep
the doctor prescribed something for anxiety
the ER visit was written up as a fall
traumatic brain injury screening might be needed
she has a disability, uses a wheelchair
he's her caregiver which makes it so complicated
older adult abuse, the son takes her pension
the daughter lives with her and yells all the time
same-sex couple, she's worried nobody will take her seriously
he's a man who's the victim, services are thin
two-spirit youth, kicked out by the family
the youth shelter has a bed tonight
he's 17 so he's in between systems
the teen is self-harming
crisis line was helpful overnight
mobile crisis came out
hospital kept her for 72 hours
she's home now with a follow-up next week
we meet every tuesday morning
see you at the workshop
loved the discussion last time
can we talk about burnout next session?
my question for the group: how do you hold both the mom's and the kids' safety?
what would you do in my shoes?
any resources for dads who want to change?
the program for men has an intake next month
he finished the group but nothing changed
accountability without shaming, that's the goal
he minimizes everything, blames her drinking
denial, blame and minimization, all three
risk is dynamic, it changes week to week
recent separation is the most dangerous time
he's been stalking her since she left
she saw his truck outside work
the restraining order was denied
appeal is possible but costly
pro bono lawyer might take it
the family has a worker from the health authority
public health nurse does home visits
the midwife flagged it first
prenatal care is spotty
she's pregnant again, 20 weeks
the pregnancy is making him worse
sorry for the long post
tldr: she's safe tonight, not sure about tomorrow
brb
ok ty
np, glad to help
omw to court, will update after
lol that's exactly what happened to my client
smh the system
pls call me when you get this
my client says the kids are doing better
her boyfriend moved in last month
the new partner seems ok but we don't know much
stepdad is strict, the kids are scared of him
half-brother lives with them part time
the cousin babysits sometimes
we had a case conference on wednesday
collaboration with the school was smooth
the police and child protection didn't share info
information sharing rules are confusing
privacy law lets us share when there's imminent risk
consent form signed for the doctor only
she revoked consent for the school
documentation is key, write everything down
records can be subpoenaed so be careful what you write
case notes should be factual
Client: mother, 34, two children
DOB: not recorded
Referral source: self
Presenting issue: IPV, housing, child welfare involvement
Risk level: high
Plan: safety planning, legal referral, follow up in one week
Worker: me
Next steps: call legal aid, check shelter beds
Summary of contact: phone call, 20 minutes
Reason for referral: disclosed violence to the family doctor
Safety concerns: weapons in the home, threats to kill
Children: 2 (ages 5 and 9)
Services involved: child protection, police, shelter outreach
Question for the group: when is it ok to close the file?
Amber alert was issued last year in a different case, that's why she panics
Crystal meth is part of the picture for dad
Honey, he calls her, then screams at her five minutes later
Chance of him showing up is high
Summer is the worst, the kids are home all day
April was rough, May was better
Frank talk with her about the risks
Max two visits a week, that's what the order says
Guy at the front desk was rude to her
Pat down at court security scared the kids
Drew a picture of the house with the kids
Rocky relationship from day one
Sunny days are better for her mood
Faith community is important to her
Joy was not part of that house
Dawn visits are the only time he's sober
Ruby the dog is her reason to stay
Victoria Day weekend is when it happened
Christmas is coming and she dreads it
Father's Day is a trigger for the kids
Mother's Day was awful
Thanksgiving dinner ended with the police there
over the holidays things escalated
Monday she called, Tuesday she recanted
Friday night is when he drinks the most
Saturday mornings are the custody exchange
Sunday dinner at his mom's is mandatory
the shelter, the clinic and the school all know
the hospital social worker called me
the crown attorney's office is slow
the judge seemed fair
the court date is coming up
the hearing got adjourned
the trial is set for the fall
family court vs criminal court, she's in both
Hi all, quick one before the weekend.
Thanks, talk soon
Cheers and take care of yourselves
Sent from my iPhone
Background: mom and three kids, dad recently released
Context: the family has been known to us for two years
Update: she's still at the shelter
Note: the kids don't know about the new place
Dad says he's changed. Mom isn't so sure.
Kids are with the maternal grandmother for now.
Police were called by a neighbour.
Court is in three weeks.
Shelter staff noticed marks on her neck.
Nothing in the file mentions the firearms.
Also, she asked whether she can take the kids out of the province.
The Crown wants to proceed without her testimony.
Family Court ordered supervised access.
Child Protection opened an investigation.
Legal Aid approved her certificate.
Victim Services called her this morning.
Emergency Room staff documented the injuries.
Social Assistance covers her rent, barely.
the Criminal Code has a section on criminal harassment
under the Divorce Act family violence is now a factor
the Youth Criminal Justice Act applies to the 15 year old
the Mental Health Act form was signed
Form 1 was done at the hospital
the Children's Aid worker came by
CAS has an open file
CFS is involved too
the RCMP took the report
the OPP responded
CPS got involved after the school called
IPV and substance use, classic co-occurrence
MHP and AP on both sides
ACEs score for the kids is high
PTSD, anxiety, depression, she has all three
ADHD diagnosis for the middle one
ASD assessment pending for the youngest
FASD is suspected
ODSP application in progress
EI ran out last month
CERB repayment is stressing her out
CCB is her only income
SIN card was taken by him
OHIP card is missing too
ID documents are all at his place
NCO is in place until the trial
EPO expired yesterday
Big picture, she's doing better than last year.
Long story short, he found out where she works.
Bottom line: she needs a lawyer.
Worst case, the kids go into care.
Best case, she gets sole custody.
Plan A is the shelter, Plan B is her sister.
Step one is a safety plan.
Red flags everywhere.
Green light from the supervisor to go ahead.
Golden rule: never do a joint session with the abuser.
Tough week for everyone.
Brave of her to tell the teacher.
Happy to share our intake form if it helps.
Sorry, I meant the other program.
Honestly no idea what the judge will do.
Sadly the order was not renewed.
Luckily the kids were at school.
Apparently he's been bragging about it.
Basically she's on her own.
Mostly the kids seem ok.
Rarely does she miss a session.
Never seen a case like this.
Every time she leaves he finds her.
Patience is running thin on the team.
Trust takes time with her.
Faith got her through it, she says.
Love bombing after every incident.
Grace under pressure, honestly.
Hope you all had a good week.
Will update next week.
May I ask how you handled the custody piece?
June is when the trial starts.
Bill is in front of the senate, not law yet.
Sue the landlord? probably not worth it.
Mark my words, he'll breach again.
Frank discussion with the supervisor today.
Rob her of her independence, that's his pattern.
Jack up the safety plan, he's escalating.
Carol singing at the school concert, he showed up.
Pat on the back for the team.
Art therapy helped the kids.
Iris scans at the border, she's terrified of travel.
Holly and ivy decorations, he ripped them down.
Violet bruises on her arms in the photos.
Crystal clear that she wants out.
Amber alert level worry, but he hasn't taken them.
Heather from the garden, she brought it to group.
Daisy chain of referrals and nobody helps.
Penny pinching because he gives her nothing.
Sandy beaches, that's where he wants to move them.
Misty eyed when she talked about her mom.
Summer camp could give the kids a break.
Autumn is when the trouble started.
Winter tires, he won't let her buy them.
Spring break custody is contested.
Dawn raids are not what we want here.
Max contact is one call a week.
Drew up a new plan with her.
Rocky road ahead.
Chase him for child support? she's scared to.
Grant applications for the program are due.
Miles away from family, that's the hardest.
Page three of the report is missing.
Ray of hope: the school is on board.
Sterling work by the outreach worker.
Wade through the paperwork with her.
Hunter safety course, he says, so he can keep the guns.
Forrest Gump is his favourite movie, she said, odd detail.
the worker said she'd call back
the dad is pushing for 50/50
the mom's lawyer filed a motion
her counsellor thinks she's ready
my colleague in mental health has ideas
our team lead approved it
the intake worker flagged risk
the ER doctor called it in
his probation officer knows
the crown attorney met her
the victim witness worker is kind
the family doctor has been great
the public health nurse visits weekly
the youth worker at school helps the teen
the elder offered ceremony
the band office can help with housing
the reserve has no shelter, she'd have to leave
the northern community has one nurse
the fly-in community has no police at night
she lives in a small town, everybody knows everybody
they moved to the city last year
she grew up on the east coast
he's from out west
they live out in the country
they're up north now
down south the services are better
in the suburbs there's no transit
the rural county has one bus a day
she lives in the downtown core
they rent in a basement apartment
the condo is his
a trailer park outside town
a farm an hour away
she takes the bus to the mall
the food bank helps
the library is her safe spot
the church basement hosts the group
the community centre has a program for kids
the rec centre has free swim
the school gym is where the exchange happens
the police station lobby is the exchange point now
the courthouse is an hour away
the hospital is across town
she's on Ontario Works and it's not enough
Jordan's Principle could cover the assessment
the Gladue report is being prepared
Clare's Law disclosure came back positive
the Duluth model is what our group uses
Caring Dads has a group starting
Safe & Together is our framework
Signs of Safety mapping with the family
Circle of Security parenting for mom
Triple P was offered but she declined
ODARA score was 7
the Danger Assessment showed 18 points
he sells stuff on Kijiji and Facebook Marketplace
he tracks her with Life360
she messaged me on WhatsApp
he met her at Tim Hortons for the exchange
the exchange happens at the Walmart parking lot
Service Canada lost her file
IRCC hasn't answered about the permit
CBSA detained him last year
CRA sent the benefit to his account
Kids Help Phone is what the teen uses
the Assaulted Women's Helpline was busy
Indigenous Services Canada funds the program
she uses Uber to get to court
Google Maps history showed where she went
he posted on Instagram about her
the Family Law Act lets her ask for exclusive possession
a Form 8 application was filed
she's waiting for her PR card
Canada Child Benefit and GST credit
the CCAS worker was supportive
the OCL lawyer for the kids
the Office of the Children's Lawyer got involved
Bail hearing is Thursday morning
the Superior Court of Justice, family branch
the Ontario Court of Justice handles the criminal side
Provincial Court is where the peace bond is
the Human Rights Tribunal complaint
Landlord and Tenant Board hearing is coming
the Residential Tenancies Act lets her break the lease
Employment Insurance sickness benefits
the Crisis Text Line helped at night
text 686868 for the crisis line
call 211 for services
dial 988 for the suicide crisis line
the 24/7 helpline number is on the poster
grade 9 at the public high school
her son is in kindergarten, JK
a Catholic school board
the French immersion program
she's at university, second year nursing
he's in college for welding
the Friendship Centre runs a men's group
Native Women's Association has resources
Métis Nation has a family program
Inuit women's shelter would be better for her
she's First Nations, status card
he is Black and worried about police
South Asian community pressure
she's Muslim, wears hijab
he's Catholic, divorce is taboo
the Pentecostal church supports him
Ramadan is coming
Diwali at his parents'
Eid celebration got tense
Lunar New Year visit went badly
they speak Tagalog at home
she speaks Punjabi and some English
interpreter for Tigrinya
he speaks Arabic, she speaks Farsi
they're Syrian refugees
from the Philippines originally
she came from Mexico two years ago
his family is in India
the kids were born in Canada
she's American, here on a visa
she went to Costco with the kids
we referred her to Legal Aid
she called Victim Services twice
staying at Grandma's for the week
she called Mom right after
they went to Church on sunday
he showed up at Christmas Eve dinner
the case went to Court last week
referred to Family Services for parenting support
she called CAS herself
we called Children's Aid together
referred to Addiction Services
he goes to AA on tuesdays
she attends Al-Anon meetings
attending Mass helps her
we called the Crown about the bail
the family came from Syria in 2016
he went back to South Sudan for a month
she works with Canada Post
we went to Service Canada for her SIN
the exchange is at Tim Hortons now
she got a voucher from the Salvation Army
referred to Planned Parenthood for the appointment
she went to Emergency with a head injury
contacted Immigration about her status
we joined on Zoom
he called Uber to get her home
she posted on Facebook about him
she called Telehealth at night
went to Urgent Care for the kid's arm
called Poison Control after the pills
referred to Public Health for the baby
he attends Sunday school with his gran
she called Crime Stoppers anonymously
referred to Mental Health and Addictions
she's going to Legal Aid Ontario tomorrow
he went to Walmart and bought a phone
she contacted Employment Insurance
she went to the Family Court registry
they sent her to Social Services
called Kids Help Phone with her daughter
the worker from Child Protection came by
the counsellor at Mental Health says she's coping
she's on the waitlist at Housing
intake at Detox is at 9
the program at Probation is mandatory
referred to the Women's Centre
called 911 then the Crisis Line
she's with Bell, he has access to the account
staying at a Motel 6 off the highway
we went to Ikea for furniture
he went to Home Depot and bought rope
she went to Shoppers for her meds
it's in the Criminal Code now
as defined in the Divorce Act
under the Mental Health Act he was held
it's in the Charter
the judge referred to the Family Law Act
she found comfort in the Bible
we sent it to the Crown on friday
they asked the Children's Aid to step in
she posted in the Facebook group
mentioned in the Gladue report
they moved from the Philippines
he went to the States for work
she went to the Emergency department
it's in the Youth Criminal Justice Act
he's in the Canadian Armed Forces
in the Danger Assessment she scored high
in the Safety Plan we wrote together
it's covered in the Protocol
near the Trans-Canada highway
in the Intake Form there's a box for that
she lives in the North
out in the Prairies it's different
in the Maritimes services are spread out
he served in the Forces
in the Old Testament sense, he says
to the Supreme Court
in the ODARA manual
from the Ministry of Children
"""

WRITTEN_FR = """\
mon chum dit que c'est juste une passe
c'est juste trop pour elle en ce moment
elle peut appeler le 119 si elle s'inquiète pour les enfants
composez le 911 en cas d'urgence
la loi du 9 juillet 2010 sur les violences faites aux femmes
la mère a 32 ans, le père 40
les enfants ont 3 et 6 ans
la plus vieille est en 2e année
le père a des droits d'accès une fin de semaine sur deux
elle dit qu'il l'a étranglée la semaine passée
la strangulation, c'est un gros drapeau rouge
la DPJ a retenu le signalement
l'intervenante de la DPJ veut un plan de sécurité
la TS du CLSC est au courant
le CLSC fait le suivi en santé mentale
la maison d'hébergement était pleine
elle est hébergée depuis lundi
elle a été référée par le médecin de famille
elle veut quitter mais n'a nulle part où aller
elle dort chez sa sœur quelques nuits
son ex la texte sans arrêt
il lui a envoyé 30 textos hier
il contrôle tout l'argent
elle n'a pas accès au compte conjoint
la violence économique est difficile à prouver
il a pris des prêts à son nom
elle travaille à temps partiel dans une épicerie
elle est préposée aux bénéficiaires, de nuit
il est camionneur, souvent absent
ils sont propriétaires de la maison
la maison est à son nom à lui
elle veut garder le chien
les animaux, c'est une grosse raison pour rester
elle a des maux de tête et ne dort plus
le médecin lui a prescrit quelque chose pour l'anxiété
à l'urgence, ils ont noté une chute
il faudrait un dépistage de traumatisme crânien
elle vit avec un handicap
c'est lui le proche aidant, c'est compliqué
maltraitance envers une personne aînée, le fils prend sa pension
la fille vit avec elle et crie tout le temps
couple de même sexe, elle a peur qu'on ne la prenne pas au sérieux
c'est un homme victime, il y a peu de services
jeune bispirituel mis à la porte par sa famille
l'auberge du cœur a une place ce soir
il a 17 ans, il est entre deux systèmes
l'ado s'automutile
la ligne de crise a aidé pendant la nuit
l'équipe mobile de crise est venue
l'hôpital l'a gardée 72 heures
elle est de retour à la maison avec un suivi la semaine prochaine
on se rencontre tous les mardis matin
à la prochaine rencontre
merci pour les réponses d'hier, super aidant
question rapide : doit-on faire un signalement si les enfants n'étaient pas là?
l'exposition à la violence conjugale est un motif de signalement
le juge a ordonné une expertise psychosociale
l'expertise a donné raison au père
l'aliénation parentale revient souvent en cour
son avocat dit qu'elle est instable
elle a un diagnostic en santé mentale et ils s'en servent contre elle
le psychiatre dit qu'elle est apte à s'occuper des enfants
la liste d'attente en dépendance est longue
il y a peut-être un lit en désintox mardi
il dit qu'il ira en thérapie si elle revient
le cycle classique, on est dans la lune de miel
les fleurs d'excuse sont arrivées hier lol
il est doux quand la belle-famille est là
la belle-mère la blâme pour tout
la pression culturelle pour rester mariée est énorme
elle a peur que la communauté l'apprenne
l'interprète n'est pas venu
elle parle un peu français, mieux dans sa langue
les enfants traduisent pour elle, ce n'est pas correct
les services aux nouveaux arrivants l'ont aidée avec les formulaires
son permis de travail expire bientôt
elle est résidente permanente maintenant
le parrainage ne peut pas être retiré pour ça
l'aînée de la communauté a offert son aide
cercle de partage le jeudi au centre d'amitié autochtone
elle veut une approche de guérison traditionnelle
les enfants sont placés chez la grand-mère
le plan de réunification a six étapes
elle a fini le programme d'habiletés parentales
les visites supervisées se passent bien en général
il ne s'est pas présenté aux deux dernières visites
les enfants pleurent après les visites
la thérapie par le jeu a commencé
la psychoéducatrice de l'école embarque
l'enseignante trouve qu'elle est renfermée
le personnel de la garderie l'a vu à la clôture
on a demandé à la garderie de ne pas lui remettre les enfants
il n'y a pas d'ordonnance, ils ne peuvent pas refuser
un 810 pourrait être une option
l'engagement de ne pas troubler l'ordre public a été suggéré
le policier a été vraiment correct avec elle
le premier policier a minimisé, le deuxième était mieux
la police a pris une déposition mais pas d'accusation
il a été accusé de voies de fait et de menaces
il a été libéré sous promesse
les conditions disent aucun contact
il la contacte par les enfants
il utilise les tablettes des enfants pour lui écrire
on pense qu'il suit son téléphone
elle a trouvé un traceur dans l'auto
on a changé tous ses mots de passe ensemble
nouveau cell, nouveau numéro, nouveau courriel
elle a peur qu'il trouve le nouvel appart
le propriétaire est compréhensif
elle a deux mois de retard sur le loyer
l'aide sociale dit qu'elle est admissible
l'allocation familiale va dans son compte à lui
la banque a été aidante finalement
elle a ouvert son propre compte
chu tellement fatiguée de ce dossier
jsuis en retard, je vous reviens
tkt je m'en occupe
pk il fait ça, je comprends pas
bcp de stress cette semaine
mdr c'est exactement ça
slt tout le monde
ok merci
de rien
elle a fait un safety plan avec moi
le worker de la DPJ est full gentil
c'est full toxique comme relation
il est genre super jaloux
elle a checké son phone pendant la rencontre
on a eu un meeting avec l'école
le call avec l'avocate était long
sa blonde est au courant
son chum actuel a l'air correct
le beau-père est sévère, les enfants en ont peur
le demi-frère vit avec eux à temps partiel
la cousine garde parfois
on a eu une rencontre de concertation mercredi
la collaboration avec l'école a bien été
la police et la DPJ ne se sont pas parlé
les règles de partage d'information sont floues
la loi permet de lever le secret professionnel en cas de danger imminent
le consentement est signé pour le médecin seulement
elle a retiré son consentement pour l'école
les dossiers peuvent être assignés à comparaître
les notes évolutives doivent être factuelles
Cliente : mère, 34 ans, deux enfants
Date de naissance : non inscrite
Source de référence : elle-même
Motif de consultation : violence conjugale, logement, DPJ
Niveau de risque : élevé
Plan : plan de sécurité, référence juridique, suivi dans une semaine
Intervenante : moi
Prochaines étapes : appeler l'aide juridique, vérifier les places en hébergement
Enfants : 2 (5 et 9 ans)
Services impliqués : DPJ, police, maison d'hébergement
Question au groupe : quand est-ce correct de fermer le dossier?
Pierre qui roule n'amasse pas mousse, comme dit sa mère
Rose, c'est la couleur de la chambre des enfants
Claire et nette, sa demande au tribunal
Blanche comme un drap quand elle l'a vu
Patience, on avance lentement
Constance dans le suivi, c'est ce qui aide
Juste avant la rencontre, elle m'a appelée
Dès lundi, elle commence le programme
Aimé de ses enfants, il ne comprend pas pourquoi elle part
Côté finances, c'est la catastrophe
du côté de la mère, la famille est aidante
Marine, la couleur de son manteau, il la reconnaît de loin
Grand merci à tout le monde
Petit à petit, elle reprend confiance
Léger mieux cette semaine
France, Belgique et Québec n'ont pas les mêmes lois
Noël s'en vient et elle a peur
la fête des Pères est difficile pour les enfants
la fête des Mères a mal fini
pendant les Fêtes, ça a dégénéré
lundi elle a appelé, mardi elle s'est rétractée
le vendredi soir, c'est là qu'il boit le plus
le samedi matin, c'est l'échange de garde
le dimanche, souper obligatoire chez sa mère à lui
la maison, la clinique et l'école sont toutes au courant
la travailleuse sociale de l'hôpital m'a appelée
le bureau du DPCP est lent
la juge semblait juste
la date de cour approche
l'audience a été reportée
le procès est prévu à l'automne
chambre de la famille et chambre criminelle, elle est dans les deux
elle a appelé SOS violence conjugale
le 811 lui a conseillé de consulter
Info-Social peut répondre la nuit
la ligne 1 800 n'a pas répondu
le 211 l'a référée à une banque alimentaire
l'aide juridique dit qu'elle ne peut pas la prendre avant le mois prochain
elle craint pour sa vie
il a menacé de se tuer si elle part
il a des armes de chasse à la maison
les armes auraient été retirées
l'évaluation du risque est élevée
il est en probation jusqu'à la fin de l'année
bris de conditions, il était à la maison dimanche
le procureur veut qu'elle témoigne
elle ne veut pas témoigner
le CAVAC va la préparer pour la cour
sa mère la soutient mais habite loin
la grand-mère garde les enfants après l'école
je me sens impuissante
la supervision clinique m'a aidée
la fatigue de compassion, c'est réel
vous faites quoi dans ce genre de situation?
qu'est-ce que vous feriez à ma place?
des ressources pour les pères qui veulent changer?
le programme pour hommes a une évaluation le mois prochain
il a fini le groupe mais rien n'a changé
responsabilisation sans humilier, c'est le but
il minimise tout, il blâme sa consommation à elle
le risque est dynamique
la séparation récente, c'est le moment le plus dangereux
il la traque depuis qu'elle est partie
elle a vu son camion devant son travail
elle est enceinte de 20 semaines
la grossesse le rend pire
désolée pour le long message
en résumé : elle est en sécurité ce soir
le lac était gelé quand ils sont allés à la pêche
la rivière déborde chaque printemps
elle vit en région, loin de tout
en milieu rural, les services sont rares
en ville, c'est plus facile d'avoir des services
elle est sur l'aide sociale, c'est pas assez
l'IVAC a accepté sa demande
le Tribunal administratif du logement a une audience
la RAMQ a bloqué sa carte
Revenu Québec envoie l'allocation au père
Éducaloi a de bonnes fiches
Juripop peut l'aider
SOS violence conjugale a répondu tout de suite
Tel-jeunes pour l'ado
Jeunesse, J'écoute aussi
Info-Santé au 811
la SAAQ a son adresse, c'est un problème
Services Québec a perdu son dossier
la Loi sur la protection de la jeunesse s'applique
le Code civil du Québec prévoit ça
le Code criminel, article 264
la Charte des droits
le Centre jeunesse a un éducateur sur le dossier
elle est suivie en CLSC
le CIUSSS a fermé le dossier
le CAVAC l'accompagne à la cour
le DPCP a porté des accusations
la Cour du Québec, chambre de la jeunesse
la Cour supérieure pour la garde
la Cour municipale pour les menaces
l'Office municipal d'habitation a une liste d'attente
le HLM est plein
elle a une place en maison de 2e étape
le programme Alternative jeunesse
la banque alimentaire du quartier
le centre de femmes offre des ateliers
l'organisme communautaire famille
la maison des jeunes ferme à 21 h
le CPE a une place pour la petite
l'école primaire du quartier
au secondaire, il décroche
elle est au cégep en soins infirmiers
il fait un DEP en mécanique
elle est à l'université en travail social
elle parle arabe et un peu français
ils sont arrivés d'Haïti il y a trois ans
elle vient du Maroc
la famille est algérienne
ils sont demandeurs d'asile
elle est autochtone, innue
il est atikamekw
la communauté crie
ils sont musulmans pratiquants
le ramadan commence
la fête de l'Aïd s'est mal passée
à Noël, chez ses parents
le jour de l'An a dégénéré
la Saint-Jean-Baptiste, il était saoul
le 24 juin, c'est férié
en 5e secondaire
en maternelle 4 ans
le bulletin de la 2e étape
la TS scolaire fait un suivi
la psy du CLSC
l'infirmière de la GMF
le médecin de l'urgence
la policière du poste de quartier
l'enquêteur des crimes majeurs
la sergente-détective a appelé
le procureur aux poursuites criminelles
l'avocate de l'aide juridique
la médiatrice familiale
l'expert psychosocial de la cour
elle est allée chez Costco avec les enfants
on l'a référée à l'Aide juridique
elle a appelé Info-Social
elle va chez Maman ce soir
elle est suivie par la DPJ
elle a été référée au CLSC
il va aux AA le mardi
elle fréquente les Alcooliques Anonymes
elle est allée chez Jean Coutu pour ses médicaments
hébergée à Montréal pour l'instant
elle est retournée à Québec chez sa mère
on a contacté Revenu Québec pour l'allocation
elle va chez Walmart avec lui
à Pâques il était là
elle va à la Saint-Jean avec les enfants
il est allé au Palais de justice
l'intervenante du CAVAC l'accompagne
l'équipe de la DPJ est au courant
elle a appelé SOS violence conjugale
elle a contacté la SAAQ pour son permis
suivie à la Clinique externe de psychiatrie
suivie par l'Urgence psychosociale
référée au Service de police
elle est inscrite à l'École des adultes
elle va chez Desjardins pour son compte
il va au Maxi faire l'épicerie
la TS du CIUSSS a appelé
l'intervenante de la Protection de la jeunesse
elle est allée à l'Urgence
hébergée chez Grand-maman
le groupe du Centre jeunesse
elle a appelé Tel-jeunes
elle va chez Tim Hortons après l'école
"""

# Placeholders in the bot's strings ("{label}", "{n}") are not prose
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def bot_prose() -> list[tuple[str, str]]:
    """(lang, text) for each string of the prompts and locales, and each paragraph of domain.md."""
    out = []
    for path in sorted((ROOT / "prompts").glob("*.toml")) + sorted((ROOT / "bot" / "locales").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for key, val in data.items() if isinstance(data, dict) else ():
            for s in _strings(val):
                lang = "fr" if path.stem == "fr" or re.search(r"\b(?:les|des|vous|une|est)\b", s) else "en"
                out.append((lang, _PLACEHOLDER.sub("", s)))
    domain = Path("/work/shared/domain.md")
    if domain.exists():
        for para in domain.read_text(encoding="utf-8").split("\n"):
            if para.strip():
                lang = "fr" if re.search(r"\b(?:les|des|vous|une|est)\b", para) else "en"
                out.append((lang, para))
    return out


def corpus() -> list[tuple[str, str, str]]:
    """(source, lang, text)"""
    rows = [("written", "en", s) for s in WRITTEN_EN.splitlines() if s.strip()]
    rows += [("written", "fr", s) for s in WRITTEN_FR.splitlines() if s.strip()]
    rows += [("bot", lang, s) for lang, s in bot_prose()]
    return rows


def run() -> tuple[Counter, list[str], dict[str, int]]:
    by_rule: Counter = Counter()
    notes = []
    words: dict[str, int] = Counter()
    for source, lang, text in corpus():
        res = scrub(text, lang)
        words[f"{source} {lang}"] += len(text.split())
        for r in res.replacements:
            by_rule[f"{source} {lang} | {r.rule}"] += 1
            notes.append(f"[{source} {lang}] {r.original!r} ({r.kind}; {r.rule}): {text[:160]}")
    return by_rule, notes, words


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    by_rule, notes, words = run()
    for k, n in sorted(words.items()):
        fp = sum(v for r, v in by_rule.items() if r.startswith(k + " "))
        print(f"{k:<12} {n:>6} words  {fp:>4} false replacements")
    for rule, n in by_rule.most_common():
        print(f"{n:>4}  {rule}")
    if "--quiet" not in argv:
        for n in notes:
            print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
