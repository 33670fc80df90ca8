# VirtLab: the rc file of an interactive shell on a lab host (Labs view > Open Terminal).
# The host runs in its own network namespace but shares this machine's hostname, so the prompt
# names the lab host instead: VIRTLAB_LAB and VIRTLAB_LAB_HOST are set by the terminal's command.
if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
PS1='\[\e[1;36m\][${VIRTLAB_LAB}/${VIRTLAB_LAB_HOST}]\[\e[0m\] \w \$ '
