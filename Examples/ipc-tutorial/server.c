/* The seL4 IPC tutorial's server (tutorials/ipc, complete solution), written for SwiftL4.
 *
 * An unbadged caller is new: it sends its id in MR0, and the server mints it a copy of the
 * endpoint badged with that id and replies with it (cap transfer). A badged caller sends a
 * word, one character per message register: the server prints it with the caller's badge
 * and answers with ReplyRecv, which replies and waits for the next message in one call. */
#include <assert.h>
#include <sel4/sel4.h>
#include <stdio.h>

extern seL4_CPtr endpoint;   /* the tutorial endpoint: read, write, grant */
extern seL4_CPtr cnode;      /* this server's own CNode */
extern seL4_CPtr free_slot;  /* an empty slot to mint badged caps into */

int main(void)
{
    seL4_Word sender;
    seL4_MessageInfo_t info = seL4_Recv(endpoint, &sender);
    for (;;) {
        if (sender == 0) {
            seL4_Word badge = seL4_GetMR(0);
            seL4_Error error = seL4_CNode_Mint(cnode, free_slot, seL4_WordBits,
                                               cnode, endpoint, seL4_WordBits, seL4_AllRights, badge);
            assert(error == seL4_NoError);
            printf("Badged %lu\n", (unsigned long)badge);
            /* The reply carries the badged cap: the reply cap inherits Grant from the
             * endpoint cap this server received on (REPLY-2). */
            seL4_SetCap(0, free_slot);
            seL4_Reply(seL4_MessageInfo_new(0, 0, 1, 0));
            /* The client has its own copy now. */
            error = seL4_CNode_Delete(cnode, free_slot, seL4_WordBits);
            assert(error == seL4_NoError);
            info = seL4_Recv(endpoint, &sender);
        } else {
            printf("Message from %lu: ", (unsigned long)sender);
            for (seL4_Word i = 0; i < seL4_MessageInfo_get_length(info); i++) {
                printf("%c", (char)seL4_GetMR(i));
            }
            printf("\n");
            info = seL4_ReplyRecv(endpoint, seL4_MessageInfo_new(0, 0, 0, 0), &sender);
        }
    }
    return 0;
}
